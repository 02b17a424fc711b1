/**
 * What a generated JWT project passes to the plugin: issuer and audience from
 * the environment, and `exp` required unless CHATKIT_JWT_ALLOW_NO_EXP=true.
 * (The plugin's handling of those options is tested in auth.test.ts; the
 * generated project is type-checked and run in test/create/e2e.test.ts.)
 */
import { expect, test } from 'vitest';
import { ALL_LAYERS } from '../../src/cli/create/layers.js';
import { planFiles } from '../../src/cli/create/plan.js';
import { readLayers } from '../../src/cli/create/template-files.js';
import { ownPackageJson } from '../../src/cli/shared/own-package.js';
import { settings } from '../create/helpers.js';

const layers = await readLayers(ALL_LAYERS);
const appSource = (auth: 'jwt' | 'none') => {
  const plan = planFiles(settings({ auth }), layers, ownPackageJson());
  return plan.files.find((file) => file.path === 'src/app.ts')!.contents.toString('utf8');
};

test('JWT projects read CHATKIT_JWT_ISSUER / CHATKIT_JWT_AUDIENCE and require exp unless allowed', () => {
  const source = appSource('jwt');
  const jwt = /jwt: \{([^}]*)\}/.exec(source)?.[1] ?? '';
  expect(jwt).toContain('secret: jwtSecret');
  expect(jwt).toContain('issuer: env.CHATKIT_JWT_ISSUER || undefined');
  expect(jwt).toContain('audience: env.CHATKIT_JWT_AUDIENCE || undefined');
  expect(jwt).toContain("requireExp: env.CHATKIT_JWT_ALLOW_NO_EXP !== 'true'");
});

test('projects without auth mention none of it', () => {
  expect(appSource('none')).not.toMatch(/CHATKIT_JWT_/);
});
