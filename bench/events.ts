/**
 * `events`: throughput of the event pipeline outbox → Redis Streams → consumer, on real
 * PostgreSQL and Redis, with the relay and the consumer in this process.
 *
 *   1. outbox writes       20,000 `publish()` calls in transactions of 100 (relay stopped)
 *   2. publish only        the relay drains that backlog to Redis (no consumer)
 *   3. consume only        a consumer handles those 20,000 entries (inbox + effect per event)
 *   4. whole pipeline      another 20,000 events written while relay and consumer run:
 *                          first write → last event handled
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import pg from 'pg';
import { z } from 'zod';
import { defineEvent, EventConsumer, newEvent, OutboxRelay, pgUnitOfWork, publish, RedisTransport, EVENT_TABLES_DDL } from '@calos/events';
import { createLogger } from '@calos/kernel';
import { redisReachable, scratchDatabase, testDatabaseEngine, TEST_REDIS_URL } from '@calos/testkit';

const EVENTS = 20_000;
const PER_TRANSACTION = 100;
const STREAM = 'events:bench';
const GROUP = 'bench';

const RECEIVED_DDL = `CREATE TABLE "received" ("id" BIGSERIAL PRIMARY KEY, "eventId" UUID NOT NULL, "payload" TEXT NOT NULL);`;

const BenchEvent = defineEvent('BenchEvent', 'Bench', z.object({ payload: z.string() }));

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const rate = (events: number, ms: number) => `${Math.round(events / (ms / 1000)).toLocaleString('en-US')} events/s`;

async function until(condition: () => Promise<boolean>, what: string, timeoutMs = 300_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`bench events: timed out waiting for ${what}`);
    await sleep(5);
  }
}

async function writeEvents(pool: pg.Pool, count: number, afterCommit: () => void = () => {}): Promise<void> {
  for (let t = 0; t < count / PER_TRANSACTION; t++) {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      for (let i = 0; i < PER_TRANSACTION; i++) {
        await publish(client, newEvent(BenchEvent, `agg-${i}`, { payload: randomBytes(24).toString('hex') }));
      }
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    } finally {
      client.release();
    }
    afterCommit();
  }
}

export async function benchEvents(): Promise<void> {
  if ((await testDatabaseEngine()) !== 'postgres' || !(await redisReachable())) {
    console.log('skipped: needs PostgreSQL (TEST_POSTGRES_URL) and Redis (REDIS_URL)');
    return;
  }
  const [producerDb, consumerDb] = await Promise.all([scratchDatabase('bench_events_producer'), scratchDatabase('bench_events_consumer')]);
  const producer = new pg.Pool({ connectionString: producerDb.url, max: 4 });
  const consumerPool = new pg.Pool({ connectionString: consumerDb.url, max: 4 });
  // pool.end() resolves before its connections are closed; drop()'s WITH (FORCE) may then
  // terminate one, which the pool reports as an 'error' event.
  for (const pool of [producer, consumerPool]) pool.on('error', () => {});
  const prefix = `bench:events:${randomBytes(6).toString('hex')}:`;
  const transport = new RedisTransport(TEST_REDIS_URL, { keyPrefix: prefix });
  const logger = createLogger('bench-events', 'warn');
  const relay = new OutboxRelay({ pool: producer, transport, stream: STREAM, logger });
  const consumer = new EventConsumer<pg.PoolClient>({
    transport,
    group: GROUP,
    stream: STREAM,
    unitOfWork: pgUnitOfWork(consumerPool),
    logger,
    handlers: {
      [BenchEvent.type]: async (event, tx) => {
        const { payload } = BenchEvent.schema.parse(event.data);
        await tx.query(`INSERT INTO "received" ("eventId", "payload") VALUES ($1::uuid, $2)`, [event.eventId, payload]);
      },
    },
  });
  try {
    await producer.query(EVENT_TABLES_DDL);
    await consumerPool.query(EVENT_TABLES_DDL + RECEIVED_DDL);
    await until(() => transport.ping().then(() => true, () => false), 'Redis', 10_000);

    // 1. Outbox writes alone.
    let started = performance.now();
    await writeEvents(producer, EVENTS);
    const writeMs = performance.now() - started;

    // 2. The relay alone drains the backlog to Redis.
    started = performance.now();
    relay.start();
    await until(async () => (await relay.backlog()) === 0, 'the relay to drain the outbox');
    const publishMs = performance.now() - started;

    // 3. The consumer alone handles what is on the stream.
    started = performance.now();
    consumer.start();
    await until(async () => consumer.handled >= EVENTS, 'the consumer to handle the stream');
    const consumeMs = performance.now() - started;

    // 4. The whole pipeline: writes while relay and consumer run (the relay is woken after
    //    each commit, as the services do).
    started = performance.now();
    await writeEvents(producer, EVENTS, () => relay.wake());
    const pipelineWriteMs = performance.now() - started;
    await until(async () => consumer.handled >= 2 * EVENTS, 'the pipeline to deliver every event');
    const pipelineMs = performance.now() - started;

    const received = Number((await consumerPool.query<{ n: string }>(`SELECT count(DISTINCT "eventId") AS n FROM "received"`)).rows[0]?.n ?? 0);
    const line = (label: string, ms: number) => `${label.padEnd(56)} ${rate(EVENTS, ms).padStart(16)}   (${(ms / 1000).toFixed(2)} s)`;
    console.log(
      [
        `${EVENTS.toLocaleString('en-US')} events per phase, transactions of ${PER_TRANSACTION}, PostgreSQL + Redis Streams`,
        line('outbox writes (publish() in transactions)', writeMs),
        line('publish only (relay: outbox → Redis)', publishMs),
        line('consume only (Redis → inbox + effect, one tx per event)', consumeMs),
        line('whole pipeline (write → relay → consumer, concurrently)', pipelineMs),
        `  (writes during the pipeline phase: ${rate(EVENTS, pipelineWriteMs)}; ${received.toLocaleString('en-US')} distinct events received, ${consumer.duplicates} duplicates)`,
      ].join('\n'),
    );
  } finally {
    await Promise.all([relay.stop(), consumer.stop()]);
    const redis = new Redis(TEST_REDIS_URL);
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
    await transport.close();
    await Promise.all([producer.end(), consumerPool.end()]);
    await Promise.all([producerDb.drop(), consumerDb.drop()]);
  }
}
