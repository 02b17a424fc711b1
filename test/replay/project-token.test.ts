import { jwtVerify } from 'jose';
import { expect, test } from 'vitest';
import { signProjectToken } from '../../src/cli/project/project-token.js';

const secret = 'a-project-secret-that-is-long-enough-for-hs256';

test("signs with the project's secret, issuer and audience, so the app's verifier accepts it", async () => {
  const env = { CHATKIT_JWT_SECRET: secret, CHATKIT_JWT_ISSUER: 'https://auth.example.com/', CHATKIT_JWT_AUDIENCE: 'chatkit' };
  const token = await signProjectToken(env, 'replay-user', '10m');
  const { payload } = await jwtVerify(token!, new TextEncoder().encode(secret), { issuer: env.CHATKIT_JWT_ISSUER, audience: env.CHATKIT_JWT_AUDIENCE });
  expect(payload.sub).toBe('replay-user');
});

test('no secret, no token', async () => {
  expect(await signProjectToken({}, 'x', '1m')).toBeUndefined();
});
