/**
 * A short-lived bearer token signed with the project's own JWT settings, so a
 * command (doctor, replay) can pass the project's auth like a signed-in user.
 * Honours CHATKIT_JWT_ISSUER / CHATKIT_JWT_AUDIENCE when the project sets them.
 */
import { SignJWT } from 'jose';

export async function signProjectToken(
  env: Record<string, string | undefined>,
  subject: string,
  expiresIn: string,
): Promise<string | undefined> {
  const secret = env.CHATKIT_JWT_SECRET;
  if (!secret) return undefined;
  let jwt = new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject(subject).setIssuedAt().setExpirationTime(expiresIn);
  if (env.CHATKIT_JWT_ISSUER) jwt = jwt.setIssuer(env.CHATKIT_JWT_ISSUER);
  if (env.CHATKIT_JWT_AUDIENCE) jwt = jwt.setAudience(env.CHATKIT_JWT_AUDIENCE);
  return jwt.sign(new TextEncoder().encode(secret));
}
