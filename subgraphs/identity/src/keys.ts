import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { JWK } from 'jose';
import { generateSigningJwk, loadKeyRing, type KeyRing } from '@calos/auth';

/**
 * The signing key ring. Production passes JWT_PRIVATE_JWKS (required there by env.ts);
 * development generates one key on first start and keeps it next to the embedded
 * database, so tokens survive a restart.
 */
export async function identityKeyRing(options: { privateJwks?: string; activeKid?: string; devKeyFile: string }): Promise<KeyRing> {
  if (options.privateJwks) {
    return loadKeyRing(JSON.parse(options.privateJwks) as JWK[], options.activeKid);
  }
  let jwks: JWK[];
  if (existsSync(options.devKeyFile)) {
    jwks = JSON.parse(readFileSync(options.devKeyFile, 'utf8')) as JWK[];
  } else {
    jwks = [await generateSigningJwk(`dev-${new Date().toISOString().slice(0, 10)}`)];
    mkdirSync(dirname(options.devKeyFile), { recursive: true });
    writeFileSync(options.devKeyFile, JSON.stringify(jwks), { mode: 0o600 });
  }
  return loadKeyRing(jwks, options.activeKid);
}
