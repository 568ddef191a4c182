import { runInBackground, type Logger } from '@calos/kernel';
import type pg from 'pg';
import type { Transport } from './transport.js';

export interface RelayOptions {
  /** The domain's own database (its outbox table). */
  pool: pg.Pool;
  transport: Transport;
  /** Where this domain's events go, e.g. `events:identity`. */
  stream: string;
  logger: Logger;
  batchSize?: number;
  /** How often to look for new rows when idle. */
  pollMs?: number;
  maxBackoffMs?: number;
}

interface OutboxRow {
  id: string;
  eventId: string;
  eventType: string;
  aggregateType: string;
  aggregateId: string;
  version: number;
  occurredAt: Date;
  data: unknown;
}

/**
 * Moves committed outbox rows to the domain's stream. Rows are claimed with
 * `FOR UPDATE SKIP LOCKED`, so several replicas share the work without publishing a row
 * twice while both live; a row is marked sent only after the stream acknowledged it, in
 * the same transaction that held the lock. A crash between the two republishes the row
 * (at-least-once: consumers deduplicate by eventId); nothing is ever lost.
 */
export class OutboxRelay {
  private running = false;
  private loop: Promise<void> | null = null;
  private wakeUp: (() => void) | null = null;
  private failures = 0;
  published = 0;

  constructor(private readonly options: RelayOptions) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = runInBackground(() => this.run());
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake();
    await this.loop;
    this.loop = null;
  }

  /** Publish now rather than at the next poll (called after a commit that wrote events). */
  wake(): void {
    this.wakeUp?.();
  }

  /** Publishes one batch; returns how many rows it published. */
  async tick(): Promise<number> {
    const { pool, transport, stream, batchSize = 200 } = this.options;
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const { rows } = await client.query<OutboxRow>(
        `SELECT "id", "eventId", "eventType", "aggregateType", "aggregateId", "version", "occurredAt", "data"
         FROM "outbox_events" WHERE "publishedAt" IS NULL ORDER BY "id" LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [batchSize],
      );
      if (rows.length === 0) {
        await client.query('COMMIT');
        return 0;
      }
      await transport.append(
        stream,
        rows.map((r) =>
          JSON.stringify({
            eventId: r.eventId,
            eventType: r.eventType,
            aggregateType: r.aggregateType,
            aggregateId: r.aggregateId,
            version: r.version,
            occurredAt: r.occurredAt.toISOString(),
            data: r.data,
          }),
        ),
      );
      await client.query(`UPDATE "outbox_events" SET "publishedAt" = now() WHERE "id" = ANY($1::bigint[])`, [rows.map((r) => r.id)]);
      await client.query('COMMIT');
      this.published += rows.length;
      return rows.length;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  }

  private async run(): Promise<void> {
    const { pollMs = 100, maxBackoffMs = 5000, batchSize = 200, logger } = this.options;
    while (this.running) {
      let delay = pollMs;
      try {
        const n = await this.tick();
        if (this.failures > 0) logger.info({ stream: this.options.stream }, 'outbox relay recovered');
        this.failures = 0;
        if (n >= batchSize) delay = 0;
      } catch (error) {
        this.failures++;
        delay = Math.min(maxBackoffMs, pollMs * 2 ** Math.min(this.failures, 10));
        if (this.failures === 1 || this.failures % 20 === 0) {
          logger.warn({ err: error, stream: this.options.stream, failures: this.failures }, 'outbox relay cannot publish; backing off');
        }
      }
      if (delay > 0 && this.running) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, delay);
          this.wakeUp = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        this.wakeUp = null;
      }
    }
  }

  /** Rows committed but not yet published (readiness, tests). */
  async backlog(): Promise<number> {
    const { rows } = await this.options.pool.query<{ n: string }>(`SELECT count(*) AS n FROM "outbox_events" WHERE "publishedAt" IS NULL`);
    return Number(rows[0]?.n ?? 0);
  }
}
