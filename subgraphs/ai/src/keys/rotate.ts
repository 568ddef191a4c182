import type { PrismaClient } from '../generated/prisma/client.js';
import { ApiKeyDecryptionError, decryptApiKey, encryptApiKey, type KekRing } from './crypto.js';

/** What rotation logs: row ids and versions only, never key content. */
export interface RotationLogger {
  warn(details: Record<string, unknown>, message: string): void;
  info?(details: Record<string, unknown>, message: string): void;
}

export interface RotationOptions {
  batchSize?: number;
  logger?: RotationLogger;
  /** Only these users' keys (an operator re-keying one account; tests on a shared database). */
  userIds?: readonly string[];
}

export interface RotationResult {
  /** Keys found under an older (or unknown) version. */
  scanned: number;
  /** Keys re-encrypted to the active version by this run. */
  rotated: number;
  /** Keys that could not be decrypted: left untouched. */
  failed: number;
  /** Keys changed by someone else between read and write (another rotation, a replaced key): left to them. */
  skipped: number;
}

/**
 * Re-encrypts every API key not under the ring's active version. Each row is written with a
 * conditional update (same id, same version, same IV) so a concurrent rotation or a key
 * replaced meanwhile is never overwritten with stale content.
 */
export async function rotateApiKeys(db: PrismaClient, ring: KekRing, options: RotationOptions = {}): Promise<RotationResult> {
  const batchSize = Math.max(1, Math.floor(options.batchSize ?? 100));
  const result: RotationResult = { scanned: 0, rotated: 0, failed: 0, skipped: 0 };
  // Keyset pagination: rows that fail keep their old version and must not be read again.
  let after: string | undefined;
  for (;;) {
    const rows = await db.apiKey.findMany({
      where: {
        kekVersion: { not: ring.active },
        ...(after === undefined ? {} : { id: { gt: after } }),
        ...(options.userIds ? { userId: { in: [...options.userIds] } } : {}),
      },
      orderBy: { id: 'asc' },
      take: batchSize,
      select: { id: true, userId: true, ciphertext: true, iv: true, authTag: true, kekVersion: true },
    });
    for (const row of rows) {
      result.scanned++;
      const binding = { userId: row.userId, keyId: row.id };
      let plaintext: string;
      try {
        plaintext = decryptApiKey(ring, row, binding);
      } catch (error) {
        if (!(error instanceof ApiKeyDecryptionError)) throw error;
        result.failed++;
        options.logger?.warn({ keyId: row.id, kekVersion: row.kekVersion, reason: error.reason }, 'API key could not be decrypted; left as it is');
        continue;
      }
      const sealed = encryptApiKey(ring, plaintext, binding);
      const { count } = await db.apiKey.updateMany({
        where: { id: row.id, kekVersion: row.kekVersion, iv: { equals: row.iv } },
        data: sealed,
      });
      if (count === 1) result.rotated++;
      else result.skipped++;
    }
    if (rows.length < batchSize) break;
    after = rows[rows.length - 1]?.id;
  }
  options.logger?.info?.({ ...result, kekVersion: ring.active }, 'API key rotation finished');
  return result;
}
