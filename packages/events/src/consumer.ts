import { hostname } from 'node:os';
import { runInBackground, type Logger } from '@calos/kernel';
import type pg from 'pg';
import { parseEnvelope, type EventEnvelope } from './envelope.js';
import type { StreamEntry, Transport } from './transport.js';

/**
 * Runs `fn` in a database transaction of the subscriber. `claim` records the event in the
 * inbox in that same transaction and says whether it was new.
 */
export interface UnitOfWork<TTx> {
  transaction<T>(fn: (tx: TTx) => Promise<T>): Promise<T>;
  claim(tx: TTx, consumer: string, event: EventEnvelope): Promise<boolean>;
}

const INBOX_INSERT = `INSERT INTO "inbox_events" ("consumer", "eventId", "eventType") VALUES ($1, $2::uuid, $3) ON CONFLICT DO NOTHING`;

/** Inbox + transactions on a Prisma client (the services). */
export function prismaUnitOfWork<TTx extends { $executeRawUnsafe(q: string, ...v: unknown[]): Promise<number> }>(db: {
  $transaction<T>(fn: (tx: TTx) => Promise<T>, options?: { timeout?: number; maxWait?: number }): Promise<T>;
}): UnitOfWork<TTx> {
  return {
    transaction: (fn) => db.$transaction(fn, { timeout: 30_000, maxWait: 10_000 }),
    claim: async (tx, consumer, event) => (await tx.$executeRawUnsafe(INBOX_INSERT, consumer, event.eventId, event.eventType)) === 1,
  };
}

/** Inbox + transactions on a plain pg pool (tools, tests, read models without Prisma). */
export function pgUnitOfWork(pool: pg.Pool): UnitOfWork<pg.PoolClient> {
  return {
    async transaction(fn) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await fn(client);
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {});
        throw error;
      } finally {
        client.release();
      }
    },
    claim: async (tx, consumer, event) => (await tx.query(INBOX_INSERT, [consumer, event.eventId, event.eventType])).rowCount === 1,
  };
}

export interface HandlerHooks {
  /** Runs after the handler's transaction committed (e.g. wake a saga that waits for this effect). */
  afterCommit(fn: () => void): void;
}

export type EventHandler<TTx> = (event: EventEnvelope, tx: TTx, hooks: HandlerHooks) => Promise<void>;

export interface ConsumerOptions<TTx> {
  transport: Transport;
  /** The consumer group: the subscribing service, e.g. `mealplans`. */
  group: string;
  stream: string;
  /** Handlers by event type; other types are acknowledged and ignored. */
  handlers: Record<string, EventHandler<TTx>>;
  unitOfWork: UnitOfWork<TTx>;
  logger: Logger;
  /** Unique per process; defaults to host:pid. */
  consumerName?: string;
  batchSize?: number;
  blockMs?: number;
  /** Failed attempts before an entry goes to the dead-letter stream. */
  maxAttempts?: number;
  /** How long a delivered entry may stay unacknowledged before another consumer takes it over. */
  claimIdleMs?: number;
  /** How often this consumer retries its own failed entries. */
  retryMs?: number;
}

/**
 * A consumer-group member: handles each event in a transaction that also records its
 * eventId in the inbox (a redelivered event changes nothing), acknowledges after commit,
 * reclaims entries a dead consumer left pending, and parks poison messages in a
 * dead-letter stream after `maxAttempts` so they do not hold up later events.
 */
export class EventConsumer<TTx> {
  private running = false;
  private loop: Promise<void> | null = null;
  readonly name: string;
  handled = 0;
  duplicates = 0;

  constructor(private readonly options: ConsumerOptions<TTx>) {
    this.name = options.consumerName ?? `${hostname()}:${process.pid}:${Math.random().toString(36).slice(2, 8)}`;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = runInBackground(() => this.run());
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
    this.loop = null;
  }

  private async run(): Promise<void> {
    const { transport, group, stream, logger, batchSize = 100, blockMs = 500, claimIdleMs = 30_000, retryMs = 1000 } = this.options;
    let ready = false;
    let lastRetry = Date.now();
    let lastClaim = 0;
    let failures = 0;
    while (this.running) {
      try {
        if (!ready) {
          await transport.ensureGroup(stream, group);
          ready = true;
        }
        const now = Date.now();
        if (now - lastRetry >= retryMs) {
          lastRetry = now;
          await this.process(await transport.readOwnPending(stream, group, this.name, batchSize));
        }
        if (now - lastClaim >= Math.min(claimIdleMs, 5000)) {
          lastClaim = now;
          await this.process(await transport.claimIdle(stream, group, this.name, claimIdleMs, batchSize));
        }
        await this.process(await transport.readNew(stream, group, this.name, batchSize, blockMs));
        if (failures > 0) logger.info({ stream, group }, 'event consumer recovered');
        failures = 0;
      } catch (error) {
        if (!this.running) break;
        // The group vanished (stream deleted, Redis restarted without persistence): create it again.
        if (String((error as Error).message).includes('NOGROUP')) ready = false;
        failures++;
        if (failures === 1 || failures % 20 === 0) logger.warn({ err: error, stream, group, failures }, 'event consumer cannot read; backing off');
        await new Promise((r) => setTimeout(r, Math.min(5000, 100 * 2 ** Math.min(failures, 6))));
      }
    }
  }

  /**
   * Handles entries one by one, in stream order. A stopping consumer still finishes the batch
   * it was handed: abandoned entries would wait for another consumer's idle reclaim.
   */
  async process(entries: StreamEntry[]): Promise<void> {
    for (const entry of entries) await this.handleEntry(entry);
  }

  private async handleEntry(entry: StreamEntry): Promise<void> {
    const { transport, group, stream, handlers, unitOfWork, logger, maxAttempts = 5 } = this.options;
    let event: EventEnvelope;
    try {
      event = parseEnvelope(entry.payload);
    } catch (error) {
      // Unparseable: retrying cannot help.
      await this.deadLetter(entry, error, maxAttempts);
      return;
    }
    const handler = handlers[event.eventType];
    if (!handler) {
      await transport.ack(stream, group, [entry.id]);
      return;
    }
    try {
      const afterCommit: Array<() => void> = [];
      const applied = await unitOfWork.transaction(async (tx) => {
        if (!(await unitOfWork.claim(tx, group, event))) return false;
        await handler(event, tx, { afterCommit: (fn) => afterCommit.push(fn) });
        return true;
      });
      for (const fn of afterCommit) fn();
      if (applied) this.handled++;
      else this.duplicates++;
      await transport.ack(stream, group, [entry.id]);
      await transport.forgetFailures(stream, group, [entry.id]);
    } catch (error) {
      const attempts = await transport.recordFailure(stream, group, entry.id);
      if (attempts >= maxAttempts) {
        await this.deadLetter(entry, error, attempts);
      } else {
        logger.warn({ err: error, stream, group, eventId: event.eventId, eventType: event.eventType, attempts }, 'event handler failed; will retry');
      }
    }
  }

  private async deadLetter(entry: StreamEntry, error: unknown, attempts: number): Promise<void> {
    const { transport, group, stream, logger } = this.options;
    const message = error instanceof Error ? error.message : String(error);
    await transport.deadLetter(group, { stream, entryId: entry.id, payload: entry.payload, error: message, attempts });
    await transport.ack(stream, group, [entry.id]);
    await transport.forgetFailures(stream, group, [entry.id]);
    logger.error({ stream, group, entryId: entry.id, attempts, error: message }, 'event moved to the dead-letter stream');
  }
}
