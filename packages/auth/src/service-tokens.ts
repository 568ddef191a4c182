import { jwtVerify, SignJWT, errors as joseErrors } from 'jose';
import { InvalidTokenError } from './tokens.js';

/**
 * Service-to-service authentication: a caller signs a short-lived JWT naming itself
 * (`iss`) and the service it calls (`aud`); the callee accepts only the callers each
 * route allows. HMAC with a secret only services hold (never the gateway or a browser),
 * distinct from the gateway secret, so reaching a subgraph's GraphQL endpoint grants no
 * internal calls.
 */
export const SERVICE_TOKEN_HEADER = 'x-service-token';
export const SERVICE_TOKEN_ALGORITHM = 'HS256';
export const SERVICE_TOKEN_TTL_SECONDS = 60;
const SERVICE_TOKEN_TYPE = 'svc+jwt';

export interface ServiceTokenClaims {
  /** The calling service. */
  caller: string;
  /** The user the call is made for, when there is one. */
  userId?: string;
}

const keyOf = (secret: string) => new TextEncoder().encode(secret);

export async function signServiceToken(
  secret: string,
  claims: { caller: string; audience: string; userId?: string },
  ttlSeconds = SERVICE_TOKEN_TTL_SECONDS,
): Promise<string> {
  const jwt = new SignJWT(claims.userId ? { uid: claims.userId } : {})
    .setProtectedHeader({ alg: SERVICE_TOKEN_ALGORITHM, typ: SERVICE_TOKEN_TYPE })
    .setIssuer(claims.caller)
    .setAudience(claims.audience)
    .setIssuedAt()
    .setExpirationTime(`${ttlSeconds}s`);
  return jwt.sign(keyOf(secret));
}

/** Verifies a service token addressed to `audience` from one of `callers`. */
export async function verifyServiceToken(
  secret: string,
  token: string | undefined,
  expected: { audience: string; callers: readonly string[] },
): Promise<ServiceTokenClaims> {
  if (!token) throw new InvalidTokenError('A service token is required.');
  try {
    const { payload } = await jwtVerify(token, keyOf(secret), {
      algorithms: [SERVICE_TOKEN_ALGORITHM],
      typ: SERVICE_TOKEN_TYPE,
      audience: expected.audience,
      issuer: [...expected.callers],
      clockTolerance: 5,
      maxTokenAge: `${SERVICE_TOKEN_TTL_SECONDS + 5}s`,
    });
    return { caller: payload.iss!, userId: typeof payload.uid === 'string' ? payload.uid : undefined };
  } catch (error) {
    if (error instanceof joseErrors.JOSEError) throw new InvalidTokenError('The service token is invalid or expired.');
    throw error;
  }
}
