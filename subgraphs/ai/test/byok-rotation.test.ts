import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateUp, migrationsDir, openDatabase, repoRoot, type DatabaseHandle } from '@calos/db';
import { databaseUrl, scratchDatabase, testDatabaseEngine, testDatabaseName, type ScratchDatabase } from '@calos/testkit';
import { PrismaClient } from '../src/generated/prisma/client.js';
import { ApiKeyDecryptionError, decryptApiKey, encryptApiKey, parseKeyEncryptionKeys, type KekRing } from '../src/keys/crypto.js';
import { last4 } from '../src/keys/shape.js';
import { rotateApiKeys, type RotationLogger } from '../src/keys/rotate.js';

// Fresh random KEKs: rows other test files put in the shared database never open under them.
const K1 = randomBytes(32).toString('base64');
const K2 = randomBytes(32).toString('base64');
const V1 = parseKeyEncryptionKeys(`1:${K1}`);
const V12 = parseKeyEncryptionKeys(`1:${K1},2:${K2}`);

interface Database {
  url: string;
  handle: DatabaseHandle;
  db: PrismaClient;
  scratch?: ScratchDatabase;
}

async function open(url: string, scratch?: ScratchDatabase): Promise<Database> {
  const handle = openDatabase({ connectionString: url, max: 4 });
  return { url, handle, db: new PrismaClient({ adapter: handle.adapter }), scratch };
}

async function openScratch(label: string): Promise<Database> {
  const scratch = await scratchDatabase(label);
  await migrateUp({ connectionString: scratch.url, dir: migrationsDir('ai'), label: 'ai' });
  return open(scratch.url, scratch);
}

async function closeDatabase(d: Database | undefined): Promise<void> {
  if (!d) return;
  await d.db.$disconnect();
  await d.handle.close();
  await d.scratch?.drop();
}

const users: string[] = [];
const newUser = () => {
  const id = randomUUID();
  users.push(id);
  return id;
};
const apiKey = () => `sk-proj-${randomBytes(36).toString('base64url')}`;

async function insertKey(db: PrismaClient, ring: KekRing, userId: string, plaintext = apiKey(), corrupt = false) {
  const id = randomUUID();
  const sealed = encryptApiKey(ring, plaintext, { userId, keyId: id });
  if (corrupt) sealed.ciphertext[0] = sealed.ciphertext[0]! ^ 0xff;
  await db.apiKey.create({ data: { id, userId, provider: 'OPENAI', last4: last4(plaintext), ...sealed } });
  return { id, keyId: id, userId, plaintext };
}

function recordingLogger(): RotationLogger & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    warn: (details, message) => lines.push(JSON.stringify({ ...details, message })),
    info: (details, message) => lines.push(JSON.stringify({ ...details, message })),
  };
}

let shared: Database | undefined;

beforeAll(async () => {
  // The migrated `ai_db_test` when PostgreSQL is up; otherwise an embedded database of our own.
  shared = (await testDatabaseEngine()) === 'postgres' ? await open(databaseUrl(testDatabaseName('ai'))) : await openScratch('ai_rotation');
});

afterAll(async () => {
  // Other test files share the database: remove only our rows.
  await shared?.db.apiKey.deleteMany({ where: { userId: { in: users } } });
  await closeDatabase(shared);
});

const db = () => {
  if (!shared) throw new Error('database not open');
  return shared.db;
};

describe('rotateApiKeys', () => {
  it('re-encrypts every older key to the active version; a second run has nothing to do', async () => {
    const alice = newUser();
    const bob = newUser();
    const keys = [await insertKey(db(), V1, alice), await insertKey(db(), V1, alice), await insertKey(db(), V1, bob)];
    const before = await db().apiKey.findMany({ where: { userId: { in: [alice, bob] } } });

    const logger = recordingLogger();
    expect(await rotateApiKeys(db(), V12, { userIds: [alice, bob], batchSize: 2, logger })).toEqual({ scanned: 3, rotated: 3, failed: 0, skipped: 0 });

    const after = await db().apiKey.findMany({ where: { userId: { in: [alice, bob] } } });
    expect(after).toHaveLength(3);
    for (const key of keys) {
      const row = after.find((r) => r.id === key.id)!;
      const old = before.find((r) => r.id === key.id)!;
      expect(row.kekVersion).toBe(2);
      expect(Buffer.from(row.iv).equals(Buffer.from(old.iv))).toBe(false);
      expect(decryptApiKey(V12, row, key)).toBe(key.plaintext);
      // Version 1 can be retired now.
      expect(() => decryptApiKey(V1, row, key)).toThrow(ApiKeyDecryptionError);
      expect(row.last4).toBe(old.last4);
    }
    expect(logger.lines.join('\n')).not.toMatch(/sk-proj-/);

    expect(await rotateApiKeys(db(), V12, { userIds: [alice, bob] })).toEqual({ scanned: 0, rotated: 0, failed: 0, skipped: 0 });
  });

  it('counts, logs by id and leaves alone a key that cannot be decrypted', async () => {
    const carol = newUser();
    const good = [await insertKey(db(), V1, carol), await insertKey(db(), V1, carol), await insertKey(db(), V1, carol)];
    const bad = await insertKey(db(), V1, carol, apiKey(), true);
    const badBefore = await db().apiKey.findUniqueOrThrow({ where: { id: bad.id } });

    const logger = recordingLogger();
    // Batch size 1: the failed row must not be read again and again.
    const result = await rotateApiKeys(db(), V12, { userIds: [carol], batchSize: 1, logger });
    expect(result).toEqual({ scanned: 4, rotated: 3, failed: 1, skipped: 0 });

    const badAfter = await db().apiKey.findUniqueOrThrow({ where: { id: bad.id } });
    expect(badAfter.kekVersion).toBe(1);
    expect(Buffer.from(badAfter.ciphertext).equals(Buffer.from(badBefore.ciphertext))).toBe(true);
    expect(Buffer.from(badAfter.iv).equals(Buffer.from(badBefore.iv))).toBe(true);
    for (const key of good) expect(decryptApiKey(V12, await db().apiKey.findUniqueOrThrow({ where: { id: key.id } }), key)).toBe(key.plaintext);

    const warnings = logger.lines.filter((l) => l.includes('could not be decrypted'));
    expect(warnings).toHaveLength(1);
    expect(JSON.parse(warnings[0]!)).toMatchObject({ keyId: bad.id, kekVersion: 1, reason: 'authentication-failed' });
    const logged = logger.lines.join('\n');
    for (const key of [...good, bad]) expect(logged).not.toContain(key.plaintext);
    expect(logged).not.toContain(Buffer.from(badBefore.ciphertext).toString('base64'));

    // Still failing, still untouched, on the next run.
    expect(await rotateApiKeys(db(), V12, { userIds: [carol] })).toEqual({ scanned: 1, rotated: 0, failed: 1, skipped: 0 });
  });

  it('does not overwrite a key replaced between its read and its write', async () => {
    const dave = newUser();
    const key = await insertKey(db(), V1, dave);
    const replacement = apiKey();
    // The user replaces the key (same row, still under version 1) while rotation holds the old copy.
    const racing = {
      apiKey: {
        findMany: async (args: Parameters<PrismaClient['apiKey']['findMany']>[0]) => {
          const rows = await db().apiKey.findMany(args);
          if (rows.length > 0) {
            await db().apiKey.update({ where: { id: key.id }, data: encryptApiKey(V1, replacement, { userId: dave, keyId: key.id }) });
          }
          return rows;
        },
        updateMany: (args: Parameters<PrismaClient['apiKey']['updateMany']>[0]) => db().apiKey.updateMany(args),
      },
    } as unknown as PrismaClient;

    expect(await rotateApiKeys(racing, V12, { userIds: [dave] })).toEqual({ scanned: 1, rotated: 0, failed: 0, skipped: 1 });
    const row = await db().apiKey.findUniqueOrThrow({ where: { id: key.id } });
    expect(decryptApiKey(V12, row, { userId: dave, keyId: key.id })).toBe(replacement);

    // The next run rotates the replacement.
    expect(await rotateApiKeys(db(), V12, { userIds: [dave] })).toMatchObject({ rotated: 1 });
    const rotated = await db().apiKey.findUniqueOrThrow({ where: { id: key.id } });
    expect(rotated.kekVersion).toBe(2);
    expect(decryptApiKey(V12, rotated, { userId: dave, keyId: key.id })).toBe(replacement);
  });

  it('lets two rotations run at once without double-writing', async () => {
    const erin = newUser();
    const keys = await Promise.all(Array.from({ length: 6 }, () => insertKey(db(), V1, erin)));
    const [a, b] = await Promise.all([rotateApiKeys(db(), V12, { userIds: [erin], batchSize: 2 }), rotateApiKeys(db(), V12, { userIds: [erin], batchSize: 2 })]);
    expect(a.rotated + b.rotated).toBe(6);
    expect(a.failed + b.failed).toBe(0);
    for (const key of keys) {
      const row = await db().apiKey.findUniqueOrThrow({ where: { id: key.id } });
      expect(row.kekVersion).toBe(2);
      expect(decryptApiKey(V12, row, key)).toBe(key.plaintext);
    }
  });
});

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runCli(env: Record<string, string>): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(`${repoRoot}/node_modules/.bin/tsx`, ['subgraphs/ai/src/rotate-keys.ts'], {
      cwd: repoRoot,
      // Only what the CLI needs: nothing from this process's own AI_* configuration.
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('npm run ai:rotate-keys', () => {
  // A database of its own: the CLI rotates every row, and other files' rows would fail under our ring.
  let own: Database | undefined;
  beforeAll(async () => {
    own = await openScratch('ai_rotate_cli');
  });
  afterAll(async () => {
    await closeDatabase(own);
  });

  it('rotates, reports, and exits 1 only when a key failed', async () => {
    const d = own!;
    const user = randomUUID();
    const keys = [await insertKey(d.db, V1, user), await insertKey(d.db, V1, user)];
    const env = { AI_DATABASE_URL: d.url, AI_KEY_ENCRYPTION_KEYS: `1:${K1},2:${K2}`, LOG_LEVEL: 'warn' };

    const ok = await runCli(env);
    expect(ok.stdout.trim()).toBe('rotated 2 of 2 keys to version 2 (0 failed)');
    expect(ok.code).toBe(0);
    for (const key of keys) expect(decryptApiKey(V12, await d.db.apiKey.findUniqueOrThrow({ where: { id: key.id } }), key)).toBe(key.plaintext);

    const bad = await insertKey(d.db, V1, user, apiKey(), true);
    const failed = await runCli(env);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toContain('rotated 0 of 1 keys to version 2 (1 failed)');
    expect(failed.stdout).toContain(bad.id);
    for (const key of [...keys, bad]) expect(failed.stdout + failed.stderr).not.toContain(key.plaintext);
  });

  it('exits 78 naming bad variables without echoing key material', async () => {
    const short = randomBytes(16).toString('base64');
    const run = await runCli({ AI_KEY_ENCRYPTION_KEYS: `1:${short}`, AI_KEY_ENCRYPTION_ACTIVE_VERSION: '1' });
    expect(run.code).toBe(78);
    expect(run.stderr).toContain('AI_DATABASE_URL: is required');
    expect(run.stderr).toContain('AI_KEY_ENCRYPTION_KEYS: version 1: the key must decode to exactly 32 bytes (got 16)');
    expect(run.stderr + run.stdout).not.toContain(short);
  });
});
