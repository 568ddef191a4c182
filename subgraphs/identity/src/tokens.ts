import { createHash, randomBytes } from 'node:crypto';

/** 256-bit opaque token, URL-safe. */
export function newOpaqueToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Only the SHA-256 of a token is stored: a database leak yields nothing usable. */
export function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** 8 characters of Crockford base32 (40 bits): easy to read aloud and type, no I/L/O/U. */
export function newPairingCode(): string {
  const bytes = randomBytes(8);
  let code = '';
  for (const byte of bytes) code += CROCKFORD[byte & 31];
  return code;
}

export const formatPairingCode = (code: string) => `${code.slice(0, 4)}-${code.slice(4)}`;
