/**
 * `npm run ai:rotate-keys`: re-encrypts every stored BYOK key to the newest (or the
 * configured active) key-encryption key version. Safe to re-run and to run while the ai
 * service is serving. Exits 1 when some key could not be decrypted (see the log for ids).
 */
import { z } from 'zod';
import { openDatabase } from '@calos/db';
import { createLogger, envVars, loadEnv } from '@calos/kernel';
import { PrismaClient } from './generated/prisma/client.js';
import { aiKeyEnv, keyEncryptionKeysVar, parseKeyEncryptionKeys, refineAiKeyEnv } from './keys/crypto.js';
import { rotateApiKeys } from './keys/rotate.js';

const env = loadEnv(
  'ai:rotate-keys',
  z
    .object({
      AI_DATABASE_URL: envVars.postgresUrl,
      // Rotation needs the ring: required here, unlike for the service in development.
      AI_KEY_ENCRYPTION_KEYS: keyEncryptionKeysVar,
      AI_KEY_ENCRYPTION_ACTIVE_VERSION: aiKeyEnv.AI_KEY_ENCRYPTION_ACTIVE_VERSION,
      ROTATION_BATCH_SIZE: z.coerce.number().int().min(1).max(10_000).default(100),
      LOG_LEVEL: envVars.logLevel,
    })
    .superRefine(refineAiKeyEnv),
);

const ring = parseKeyEncryptionKeys(env.AI_KEY_ENCRYPTION_KEYS, env.AI_KEY_ENCRYPTION_ACTIVE_VERSION);
const logger = createLogger('ai:rotate-keys', env.LOG_LEVEL);
const database = openDatabase({ connectionString: env.AI_DATABASE_URL, max: 2 });
const db = new PrismaClient({ adapter: database.adapter });

try {
  const { scanned, rotated, failed } = await rotateApiKeys(db, ring, { batchSize: env.ROTATION_BATCH_SIZE, logger });
  console.log(`rotated ${rotated} of ${scanned} keys to version ${ring.active} (${failed} failed)`);
  if (failed > 0) process.exitCode = 1;
} catch (error) {
  logger.error({ err: error }, 'API key rotation stopped');
  process.exitCode = 1;
} finally {
  await db.$disconnect();
  await database.close();
}
