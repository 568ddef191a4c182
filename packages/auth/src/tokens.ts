import {
  createLocalJWKSet,
  createRemoteJWKSet,
  exportJWK,
  generateKeyPair,
  importJWK,
  jwtVerify,
  SignJWT,
  errors as joseErrors,
  type JSONWebKeySet,
  type JWK,
  type JWTVerifyGetKey,
  type CryptoKey,
} from 'jose';

/**
 * Access tokens (RFC 9068 shape): short-lived JWTs signed by identity with an
 * asymmetric key. Anyone can verify them from identity's JWKS; only identity signs.
 */
export const ACCESS_TOKEN_TYPE = 'at+jwt';
export const SIGNING_ALGORITHM = 'EdDSA';
/** The only algorithms a verifier accepts; `none` and HMAC are never accepted. */
export const ALLOWED_ALGORITHMS = [SIGNING_ALGORITHM, 'ES256'];
export const ACCESS_TOKEN_TTL_SECONDS = 15 * 60;

export interface TokenSettings {
  issuer: string;
  audience: string;
}

/** Who is calling: what a verified access token says. */
export interface Viewer {
  userId: string;
  sessionId: string;
  deviceId: string;
  roles: string[];
}

export interface SigningKey {
  kid: string;
  alg: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
}

/** A key ring: the active key signs, every key (current and retiring) is published. */
export interface KeyRing {
  active: SigningKey;
  keys: SigningKey[];
  jwks(): JSONWebKeySet;
}

export async function generateSigningJwk(kid: string): Promise<JWK> {
  const { privateKey } = await generateKeyPair(SIGNING_ALGORITHM, { crv: 'Ed25519', extractable: true });
  const jwk = await exportJWK(privateKey);
  return { ...jwk, kid, alg: SIGNING_ALGORITHM, use: 'sig' };
}

/** Loads private JWKs (each with `kid`); `activeKid` picks the signer, default the first. */
export async function loadKeyRing(privateJwks: JWK[], activeKid?: string): Promise<KeyRing> {
  if (privateJwks.length === 0) throw new Error('At least one signing key is required');
  const keys: SigningKey[] = [];
  for (const jwk of privateJwks) {
    if (!jwk.kid) throw new Error('Every signing key needs a "kid"');
    if (!jwk.d) throw new Error(`Signing key ${jwk.kid} is not a private key`);
    const alg = jwk.alg ?? SIGNING_ALGORITHM;
    if (!ALLOWED_ALGORITHMS.includes(alg)) throw new Error(`Signing key ${jwk.kid} uses unsupported algorithm ${alg}`);
    const privateKey = (await importJWK({ ...jwk, alg }, alg)) as CryptoKey;
    const { d: _d, key_ops: _ops, ext: _ext, ...publicJwk } = jwk;
    keys.push({ kid: jwk.kid, alg, privateKey, publicJwk: { ...publicJwk, alg, use: 'sig' } });
  }
  const active = activeKid ? keys.find((k) => k.kid === activeKid) : keys[0];
  if (!active) throw new Error(`JWT_ACTIVE_KID ${activeKid} is not one of the configured keys`);
  return { active, keys, jwks: () => ({ keys: keys.map((k) => k.publicJwk) }) };
}

export async function signAccessToken(
  ring: KeyRing,
  settings: TokenSettings,
  viewer: Viewer,
  ttlSeconds = ACCESS_TOKEN_TTL_SECONDS,
): Promise<{ token: string; expiresAt: Date }> {
  const now = Math.floor(Date.now() / 1000);
  const token = await new SignJWT({ sid: viewer.sessionId, did: viewer.deviceId, roles: viewer.roles })
    .setProtectedHeader({ alg: ring.active.alg, kid: ring.active.kid, typ: ACCESS_TOKEN_TYPE })
    .setIssuer(settings.issuer)
    .setAudience(settings.audience)
    .setSubject(viewer.userId)
    .setIssuedAt(now)
    .setExpirationTime(now + ttlSeconds)
    .setJti(crypto.randomUUID())
    .sign(ring.active.privateKey);
  return { token, expiresAt: new Date((now + ttlSeconds) * 1000) };
}

export class InvalidTokenError extends Error {
  override name = 'InvalidTokenError';
}

export type TokenVerifier = (token: string) => Promise<Viewer>;

/**
 * Verifies an access token: signature against the JWKS, algorithm allowlist,
 * `typ`, issuer, audience and expiry. Any failure is an InvalidTokenError whose
 * message is safe to show (it never echoes the token).
 */
export function createTokenVerifier(keys: JWTVerifyGetKey, settings: TokenSettings): TokenVerifier {
  return async (token) => {
    try {
      const { payload } = await jwtVerify(token, keys, {
        issuer: settings.issuer,
        audience: settings.audience,
        algorithms: ALLOWED_ALGORITHMS,
        typ: ACCESS_TOKEN_TYPE,
        requiredClaims: ['sub', 'exp', 'iat'],
      });
      const { sub, sid, did, roles } = payload as { sub?: unknown; sid?: unknown; did?: unknown; roles?: unknown };
      if (typeof sub !== 'string' || typeof sid !== 'string' || typeof did !== 'string') {
        throw new InvalidTokenError('The access token is missing required claims.');
      }
      return {
        userId: sub,
        sessionId: sid,
        deviceId: did,
        roles: Array.isArray(roles) ? roles.filter((r): r is string => typeof r === 'string') : [],
      };
    } catch (error) {
      if (error instanceof InvalidTokenError) throw error;
      if (error instanceof joseErrors.JWTExpired) throw new InvalidTokenError('The access token has expired.');
      throw new InvalidTokenError('The access token is invalid.');
    }
  };
}

export function remoteKeys(jwksUrl: string): JWTVerifyGetKey {
  return createRemoteJWKSet(new URL(jwksUrl), { cooldownDuration: 30_000, cacheMaxAge: 10 * 60_000, timeoutDuration: 5_000 });
}

export function localKeys(ring: KeyRing): JWTVerifyGetKey {
  return createLocalJWKSet(ring.jwks());
}

/** `Authorization: Bearer <token>` → token, or null when absent. A malformed header is an error. */
export function bearerToken(header: string | undefined): string | null {
  if (!header) return null;
  const match = /^Bearer\s+([A-Za-z0-9\-_.~+/]+=*)$/i.exec(header.trim());
  if (!match?.[1]) throw new InvalidTokenError('The Authorization header must be "Bearer <access token>".');
  return match[1];
}
