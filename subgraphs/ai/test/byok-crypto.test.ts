import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { EnvError, parseEnv } from '@calos/kernel';
import {
  aiKeyEnv,
  ApiKeyDecryptionError,
  decryptApiKey,
  devKeyEncryptionKeys,
  encryptApiKey,
  KeyEncryptionConfigError,
  parseKeyEncryptionKeys,
  refineAiKeyEnv,
} from '../src/keys/crypto.js';
import { last4, validateApiKeyShape } from '../src/keys/shape.js';

const b64 = (bytes = 32) => randomBytes(bytes).toString('base64');
const K1 = b64();
const K2 = b64();
const ring = parseKeyEncryptionKeys(`1:${K1},2:${K2}`);
const binding = { userId: randomUUID(), keyId: randomUUID() };
const SHORT = b64(16);
const SECRET = `sk-proj-${randomBytes(30).toString('base64url')}`;

function configError(fn: () => unknown): KeyEncryptionConfigError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(KeyEncryptionConfigError);
    return error as KeyEncryptionConfigError;
  }
  throw new Error('expected a KeyEncryptionConfigError');
}

function decryptionError(fn: () => unknown): ApiKeyDecryptionError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ApiKeyDecryptionError);
    return error as ApiKeyDecryptionError;
  }
  throw new Error('expected an ApiKeyDecryptionError');
}

describe('sealing API keys', () => {
  it('round-trips under the active (highest) version', () => {
    const sealed = encryptApiKey(ring, SECRET, binding);
    expect(sealed.kekVersion).toBe(2);
    expect(sealed.iv).toHaveLength(12);
    expect(sealed.authTag).toHaveLength(16);
    expect(sealed.ciphertext.toString('utf8')).not.toContain(SECRET.slice(8));
    expect(decryptApiKey(ring, sealed, binding)).toBe(SECRET);
  });

  it('uses a fresh IV (and so a different ciphertext) every time', () => {
    const a = encryptApiKey(ring, SECRET, binding);
    const b = encryptApiKey(ring, SECRET, binding);
    expect(a.iv.equals(b.iv)).toBe(false);
    expect(a.ciphertext.equals(b.ciphertext)).toBe(false);
  });

  it('opens keys sealed under an older version that is still in the ring', () => {
    const old = parseKeyEncryptionKeys(`1:${K1}`);
    const sealed = encryptApiKey(old, SECRET, binding);
    expect(sealed.kekVersion).toBe(1);
    expect(decryptApiKey(ring, sealed, binding)).toBe(SECRET);
  });

  it('rejects a tampered ciphertext, tag or IV', () => {
    const sealed = encryptApiKey(ring, SECRET, binding);
    const flip = (b: Buffer) => {
      const copy = Buffer.from(b);
      copy[0] = copy[0]! ^ 0x01;
      return copy;
    };
    for (const tampered of [
      { ...sealed, ciphertext: flip(sealed.ciphertext) },
      { ...sealed, authTag: flip(sealed.authTag) },
      { ...sealed, iv: flip(sealed.iv) },
    ]) {
      const error = decryptionError(() => decryptApiKey(ring, tampered, binding));
      expect(error.reason).toBe('authentication-failed');
    }
    expect(decryptionError(() => decryptApiKey(ring, { ...sealed, authTag: sealed.authTag.subarray(0, 8) }, binding)).reason).toBe('malformed');
  });

  it('rejects a key moved to another user or another key id', () => {
    const sealed = encryptApiKey(ring, SECRET, binding);
    expect(decryptionError(() => decryptApiKey(ring, sealed, { ...binding, userId: randomUUID() })).reason).toBe('authentication-failed');
    expect(decryptionError(() => decryptApiKey(ring, sealed, { ...binding, keyId: randomUUID() })).reason).toBe('authentication-failed');
    // Swapping the two ids must not work either.
    expect(decryptionError(() => decryptApiKey(ring, sealed, { userId: binding.keyId, keyId: binding.userId })).reason).toBe('authentication-failed');
  });

  it('rejects a version missing from the ring, or a key sealed under another ring', () => {
    const sealed = encryptApiKey(ring, SECRET, binding);
    const error = decryptionError(() => decryptApiKey(parseKeyEncryptionKeys(`1:${K1}`), sealed, binding));
    expect(error.reason).toBe('unknown-version');
    expect(error.message).toBe('key-encryption key version 2 is not configured');
    const other = parseKeyEncryptionKeys(`2:${b64()}`);
    expect(decryptionError(() => decryptApiKey(other, sealed, binding)).reason).toBe('authentication-failed');
  });

  it('never shows key material when a ring or an error is logged', () => {
    const sealed = encryptApiKey(ring, SECRET, binding);
    const error = decryptionError(() => decryptApiKey(ring, { ...sealed, authTag: Buffer.alloc(16) }, binding));
    const K1hex = Buffer.from(K1, 'base64').toString('hex');
    for (const text of [inspect(ring, { showHidden: true, depth: 5 }), JSON.stringify(ring), inspect(error), JSON.stringify(error)]) {
      expect(text).not.toContain(K1);
      expect(text).not.toContain(K1hex.slice(0, 16));
      expect(text).not.toContain(SECRET);
    }
    expect(JSON.stringify(ring)).toBe('{"active":2,"versions":[1,2]}');
  });
});

describe('AI_KEY_ENCRYPTION_KEYS', () => {
  it('takes the highest version as active unless told otherwise', () => {
    expect(parseKeyEncryptionKeys(` 3:${K1} , 1:${K2} `).active).toBe(3);
    expect(parseKeyEncryptionKeys(`3:${K1},1:${K2}`, 1).active).toBe(1);
    expect(parseKeyEncryptionKeys(`1:${Buffer.from(K1, 'base64').toString('base64url')}`).versions).toEqual([1]);
  });

  const short = SHORT;
  const cases: [string, string, string][] = [
    ['a key of the wrong length', `1:${K1},2:${short}`, 'version 2: the key must decode to exactly 32 bytes (got 16)'],
    ['a duplicate version', `1:${K1},1:${K2}`, 'version 1 is given more than once'],
    ['an entry without a version', `${K1}`, 'entry 1 must look like <version>:<base64 key>, with a positive integer version'],
    ['a non-numeric version', `v1:${K1}`, 'entry 1 must look like <version>:<base64 key>, with a positive integer version'],
    ['version 0', `0:${K1}`, 'entry 1: version 0 must be between 1 and 2147483647'],
    ['a key that is not base64', `1:${K1.slice(0, 20)}!@#$`, 'version 1: the key is not valid base64'],
    ['an empty entry', `1:${K1},,2:${K2}`, 'entry 2 is empty'],
    ['nothing at all', '  ', 'no key-encryption keys given'],
    ['the same key under two versions', `1:${K1},2:${K1}`, 'versions 1 and 2 use the same key'],
  ];
  it.each(cases)('rejects %s without echoing the key', (_name, value, message) => {
    const error = configError(() => parseKeyEncryptionKeys(value));
    expect(error.message).toBe(message);
    for (const k of [K1, K2, short]) expect(inspect(error)).not.toContain(k.slice(0, 12));
  });

  it('rejects an active version that is not configured', () => {
    expect(configError(() => parseKeyEncryptionKeys(`1:${K1},2:${K2}`, 3)).message).toBe('active version 3 is not among the configured versions (1, 2)');
  });

  const schema = z.object(aiKeyEnv).superRefine(refineAiKeyEnv);
  const envError = (source: Record<string, string>) => {
    try {
      parseEnv('ai', schema, source);
    } catch (error) {
      expect(error).toBeInstanceOf(EnvError);
      return (error as EnvError).message;
    }
    throw new Error('expected an EnvError');
  };

  it('is validated through the env schema, naming the variable and not the key', () => {
    expect(parseEnv('ai', schema, {})).toEqual({});
    expect(parseEnv('ai', schema, { AI_KEY_ENCRYPTION_KEYS: `1:${K1},2:${K2}`, AI_KEY_ENCRYPTION_ACTIVE_VERSION: '1' })).toEqual({
      AI_KEY_ENCRYPTION_KEYS: `1:${K1},2:${K2}`,
      AI_KEY_ENCRYPTION_ACTIVE_VERSION: 1,
    });
    const bad = envError({ AI_KEY_ENCRYPTION_KEYS: `1:${short}` });
    expect(bad).toContain('AI_KEY_ENCRYPTION_KEYS: version 1: the key must decode to exactly 32 bytes (got 16)');
    expect(bad).not.toContain(short);
    expect(envError({ AI_KEY_ENCRYPTION_KEYS: `1:${K1}`, AI_KEY_ENCRYPTION_ACTIVE_VERSION: '2' })).toContain(
      'AI_KEY_ENCRYPTION_ACTIVE_VERSION: active version 2 is not among the configured versions (1)',
    );
    expect(envError({ AI_KEY_ENCRYPTION_ACTIVE_VERSION: 'two' })).toContain('AI_KEY_ENCRYPTION_ACTIVE_VERSION: must be a positive integer');
    expect(envError({ AI_KEY_ENCRYPTION_ACTIVE_VERSION: '2' })).toContain('AI_KEY_ENCRYPTION_ACTIVE_VERSION: is set but AI_KEY_ENCRYPTION_KEYS is not');
  });
});

describe('the development key ring file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ai-kek-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is created once, readable only by its owner, and reused', () => {
    const file = join(dir, 'nested', 'ai-kek');
    const first = devKeyEncryptionKeys(file);
    expect(parseKeyEncryptionKeys(first).versions).toEqual([1]);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8').trim()).toBe(first);
    expect(devKeyEncryptionKeys(file)).toBe(first);
  });

  it('refuses a corrupted file, naming the file but not its content', () => {
    const file = join(dir, 'broken');
    writeFileSync(file, `1:${SHORT}\n`, { mode: 0o600 });
    const error = configError(() => devKeyEncryptionKeys(file));
    expect(error.message).toBe(`${file}: version 1: the key must decode to exactly 32 bytes (got 16)`);
  });
});

describe('API key shapes', () => {
  const hex32 = randomBytes(16).toString('hex');
  const long = (n: number) => 'a'.repeat(n);
  const table: [string, 'openai' | 'anthropic' | 'deepseek', string, string | null][] = [
    ['legacy OpenAI key', 'openai', `sk-${long(48)}`, null],
    ['OpenAI project key', 'openai', `sk-proj-${randomBytes(60).toString('base64url')}`, null],
    ['OpenAI service-account key', 'openai', `sk-svcacct-${randomBytes(40).toString('base64url')}`, null],
    ['OpenAI key without prefix', 'openai', long(40), 'OpenAI API keys start with "sk-" (or "sk-proj-").'],
    ['truncated OpenAI key', 'openai', 'sk-proj-abc123', 'That does not look like a complete OpenAI API key.'],
    ['Anthropic key given as OpenAI', 'openai', `sk-ant-api03-${long(40)}`, 'That looks like an Anthropic key, but you chose OpenAI.'],
    ['Anthropic key', 'anthropic', `sk-ant-api03-${randomBytes(70).toString('base64url')}AA`, null],
    ['OpenAI key given as Anthropic', 'anthropic', `sk-proj-${long(40)}`, 'Anthropic API keys start with "sk-ant-".'],
    ['truncated Anthropic key', 'anthropic', 'sk-ant-api03-xyz', 'That does not look like a complete Anthropic API key.'],
    ['DeepSeek key', 'deepseek', `sk-${hex32}`, null],
    ['DeepSeek key, wrong length', 'deepseek', `sk-${hex32}ab`, 'DeepSeek API keys are "sk-" followed by 32 hexadecimal characters.'],
    ['DeepSeek key, not hex', 'deepseek', `sk-${'z'.repeat(32)}`, 'DeepSeek API keys are "sk-" followed by 32 hexadecimal characters.'],
    ['DeepSeek key without prefix', 'deepseek', hex32, 'DeepSeek API keys start with "sk-".'],
    ['empty key', 'deepseek', '', 'Enter your DeepSeek API key.'],
    ['trailing newline', 'openai', `sk-${long(48)}\n`, 'The key contains spaces, line breaks or invisible characters: paste it exactly as shown by the provider.'],
    ['inner space', 'anthropic', `sk-ant-api03-${long(20)} ${long(20)}`, 'The key contains spaces, line breaks or invisible characters: paste it exactly as shown by the provider.'],
    ['zero-width space', 'deepseek', `sk-${hex32}\u200b`, 'The key contains spaces, line breaks or invisible characters: paste it exactly as shown by the provider.'],
    ['control character', 'openai', `sk-${long(30)}\u0007`, 'The key contains spaces, line breaks or invisible characters: paste it exactly as shown by the provider.'],
    ['over 256 characters', 'openai', `sk-${long(260)}`, 'That is too long for an API key (at most 256 characters).'],
  ];
  it.each(table)('%s', (_name, provider, key, expected) => {
    const message = validateApiKeyShape(provider, key);
    expect(message).toBe(expected);
    if (message && key.length > 8) expect(message).not.toContain(key.trim().slice(3));
  });

  it('shows only the last four characters', () => {
    expect(last4('sk-proj-abcdefghijklmnopqrstuvwxyz1234')).toBe('1234');
  });
});
