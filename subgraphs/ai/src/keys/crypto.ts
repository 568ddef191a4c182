/**
 * BYOK key sealing: AES-256-GCM under a versioned key-encryption key (KEK), with
 * "userId:keyId" as associated data so a sealed key cannot be moved to another row or user.
 * Nothing here ever puts key material (KEKs or API keys) into an error message.
 */
import { createCipheriv, createDecipheriv, randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { inspect } from 'node:util';
import { z } from 'zod';

const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** PostgreSQL `integer`: the kekVersion column. */
const MAX_VERSION = 2_147_483_647;

/** The KEK configuration is unusable. The message names the problem, never the material. */
export class KeyEncryptionConfigError extends Error {
  override name = 'KeyEncryptionConfigError';
}

export type DecryptionFailure = 'unknown-version' | 'authentication-failed' | 'malformed';

/** A sealed key could not be opened: tampered, moved to another row/user, or its KEK version is gone. */
export class ApiKeyDecryptionError extends Error {
  override name = 'ApiKeyDecryptionError';
  constructor(
    readonly reason: DecryptionFailure,
    readonly kekVersion: number,
  ) {
    super(
      reason === 'unknown-version'
        ? `key-encryption key version ${kekVersion} is not configured`
        : reason === 'malformed'
          ? `sealed API key (version ${kekVersion}) is malformed`
          : `sealed API key (version ${kekVersion}) failed authentication (tampered, or bound to another key id or user)`,
    );
  }
}

// The raw keys live outside the ring object so logging or serialising a ring cannot leak them.
const material = new WeakMap<KekRing, ReadonlyMap<number, Buffer>>();

/** The configured KEKs by version, and the version new keys are sealed under. */
export class KekRing {
  readonly versions: readonly number[];
  constructor(
    keys: ReadonlyMap<number, Buffer>,
    readonly active: number,
  ) {
    if (!keys.has(active)) throw new KeyEncryptionConfigError(`active key-encryption key version ${active} is not configured`);
    for (const [version, key] of keys) {
      if (key.length !== KEY_BYTES) throw new KeyEncryptionConfigError(`key-encryption key version ${version} must be ${KEY_BYTES} bytes`);
    }
    this.versions = [...keys.keys()].sort((a, b) => a - b);
    material.set(this, new Map([...keys].map(([v, k]) => [v, Buffer.from(k)])));
  }
  has(version: number): boolean {
    return this.versions.includes(version);
  }
  toJSON(): { active: number; versions: readonly number[] } {
    return { active: this.active, versions: this.versions };
  }
  [inspect.custom](): string {
    return `KekRing { active: ${this.active}, versions: [${this.versions.join(', ')}] }`;
  }
}

function keyFor(ring: KekRing, version: number): Buffer | undefined {
  return material.get(ring)?.get(version);
}

const BASE64 = /^[A-Za-z0-9+/_-]+={0,2}$/;

/**
 * Parses `1:<base64 of 32 bytes>,2:<base64>`. The active version is the highest unless
 * `activeVersion` names another configured one.
 */
export function parseKeyEncryptionKeys(value: string, activeVersion?: number): KekRing {
  const entries = value.split(',').map((e) => e.trim());
  if (entries.length === 1 && entries[0] === '') throw new KeyEncryptionConfigError('no key-encryption keys given');
  const keys = new Map<number, Buffer>();
  entries.forEach((entry, index) => {
    const where = `entry ${index + 1}`;
    if (entry === '') throw new KeyEncryptionConfigError(`${where} is empty`);
    const colon = entry.indexOf(':');
    const versionText = colon < 0 ? '' : entry.slice(0, colon).trim();
    // Only the version (digits) may ever be echoed; the rest of an entry may be key material.
    if (!/^\d{1,10}$/.test(versionText)) {
      throw new KeyEncryptionConfigError(`${where} must look like <version>:<base64 key>, with a positive integer version`);
    }
    const version = Number(versionText);
    if (version < 1 || version > MAX_VERSION) throw new KeyEncryptionConfigError(`${where}: version ${version} must be between 1 and ${MAX_VERSION}`);
    if (keys.has(version)) throw new KeyEncryptionConfigError(`version ${version} is given more than once`);
    const encoded = entry.slice(colon + 1).trim();
    if (!BASE64.test(encoded)) throw new KeyEncryptionConfigError(`version ${version}: the key is not valid base64`);
    const key = Buffer.from(encoded, 'base64');
    if (key.length !== KEY_BYTES) {
      throw new KeyEncryptionConfigError(`version ${version}: the key must decode to exactly ${KEY_BYTES} bytes (got ${key.length})`);
    }
    for (const [other, otherKey] of keys) {
      if (timingSafeEqual(otherKey, key)) throw new KeyEncryptionConfigError(`versions ${other} and ${version} use the same key`);
    }
    keys.set(version, key);
  });
  const active = activeVersion ?? Math.max(...keys.keys());
  if (!keys.has(active)) {
    throw new KeyEncryptionConfigError(`active version ${active} is not among the configured versions (${[...keys.keys()].sort((a, b) => a - b).join(', ')})`);
  }
  return new KekRing(keys, active);
}

export interface SealedApiKey {
  ciphertext: Uint8Array;
  iv: Uint8Array;
  authTag: Uint8Array;
  kekVersion: number;
}

export interface KeyBinding {
  userId: string;
  keyId: string;
}

function associatedData({ userId, keyId }: KeyBinding): Buffer {
  // ':' separates the two ids, so neither may contain one (UUIDs never do).
  if (!userId || !keyId || userId.includes(':') || keyId.includes(':')) {
    throw new TypeError('userId and keyId must be non-empty and must not contain ":"');
  }
  return Buffer.from(`${userId}:${keyId}`, 'utf8');
}

/** Seals an API key under the ring's active version with a fresh random 96-bit IV. */
export function encryptApiKey(
  ring: KekRing,
  plaintext: string,
  binding: KeyBinding,
): { ciphertext: NonSharedBuffer; iv: NonSharedBuffer; authTag: NonSharedBuffer; kekVersion: number } {
  const key = keyFor(ring, ring.active);
  if (!key) throw new KeyEncryptionConfigError(`active key-encryption key version ${ring.active} is not configured`);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(associatedData(binding));
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return { ciphertext, iv, authTag: cipher.getAuthTag(), kekVersion: ring.active };
}

/** Opens a sealed API key bound to `binding`; throws ApiKeyDecryptionError otherwise. */
export function decryptApiKey(ring: KekRing, sealed: SealedApiKey, binding: KeyBinding): string {
  const key = keyFor(ring, sealed.kekVersion);
  if (!key) throw new ApiKeyDecryptionError('unknown-version', sealed.kekVersion);
  if (sealed.iv.length !== IV_BYTES || sealed.authTag.length !== TAG_BYTES) throw new ApiKeyDecryptionError('malformed', sealed.kekVersion);
  const aad = associatedData(binding);
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, sealed.iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(aad);
    decipher.setAuthTag(sealed.authTag);
    return Buffer.concat([decipher.update(sealed.ciphertext), decipher.final()]).toString('utf8');
  } catch {
    // node's own error says nothing useful ("Unsupported state or unable to authenticate data").
    throw new ApiKeyDecryptionError('authentication-failed', sealed.kekVersion);
  }
}

const activeVersionSchema = z.preprocess(
  (v) => (v === '' ? undefined : v),
  z
    .string()
    .regex(/^\d+$/, 'must be a positive integer')
    .transform(Number)
    .pipe(z.number().int().min(1).max(MAX_VERSION))
    .optional(),
);

/** `AI_KEY_ENCRYPTION_KEYS` when required; the message of a bad value names the problem only. */
export const keyEncryptionKeysVar = z.string().superRefine((value, ctx) => {
  try {
    parseKeyEncryptionKeys(value);
  } catch (error) {
    if (!(error instanceof KeyEncryptionConfigError)) throw error;
    ctx.addIssue({ code: 'custom', message: error.message });
  }
});

/** The ai service's KEK variables, to spread into its env schema (add `.superRefine(refineAiKeyEnv)` to cross-check them). */
export const aiKeyEnv = {
  AI_KEY_ENCRYPTION_KEYS: keyEncryptionKeysVar.optional(),
  AI_KEY_ENCRYPTION_ACTIVE_VERSION: activeVersionSchema,
};

/** Object-level check: an explicit active version must be one of the configured ones. */
export function refineAiKeyEnv(
  env: { AI_KEY_ENCRYPTION_KEYS?: string | undefined; AI_KEY_ENCRYPTION_ACTIVE_VERSION?: number | undefined },
  ctx: z.RefinementCtx,
): void {
  const active = env.AI_KEY_ENCRYPTION_ACTIVE_VERSION;
  if (active === undefined) return;
  if (env.AI_KEY_ENCRYPTION_KEYS === undefined) {
    ctx.addIssue({ code: 'custom', path: ['AI_KEY_ENCRYPTION_ACTIVE_VERSION'], message: 'is set but AI_KEY_ENCRYPTION_KEYS is not' });
    return;
  }
  try {
    parseKeyEncryptionKeys(env.AI_KEY_ENCRYPTION_KEYS, active);
  } catch (error) {
    if (!(error instanceof KeyEncryptionConfigError)) throw error;
    ctx.addIssue({ code: 'custom', path: ['AI_KEY_ENCRYPTION_ACTIVE_VERSION'], message: error.message });
  }
}

/**
 * Development only: the key ring stored in `file`, created (mode 0600, one random
 * 32-byte version 1 key) when missing, so `npm start` works with nothing configured.
 */
export function devKeyEncryptionKeys(file: string): string {
  let value: string;
  if (existsSync(file)) {
    value = readFileSync(file, 'utf8').trim();
  } else {
    mkdirSync(dirname(file), { recursive: true });
    const candidate = `1:${randomBytes(KEY_BYTES).toString('base64')}`;
    // Written aside, then linked into place: link fails if another process won the race, and a
    // reader never sees a half-written file.
    const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    writeFileSync(temp, `${candidate}\n`, { mode: 0o600, flag: 'wx' });
    try {
      linkSync(temp, file);
      value = candidate;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      value = readFileSync(file, 'utf8').trim();
    } finally {
      unlinkSync(temp);
    }
  }
  try {
    parseKeyEncryptionKeys(value);
  } catch (error) {
    if (error instanceof KeyEncryptionConfigError) throw new KeyEncryptionConfigError(`${file}: ${error.message}`);
    throw error;
  }
  return value;
}
