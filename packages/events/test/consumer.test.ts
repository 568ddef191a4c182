/**
 * EventConsumer semantics on both transports (real Redis with a unique key prefix, and the
 * in-process MemoryTransport): inbox deduplication, dead-lettering of poison messages
 * without holding up the stream, and unknown event types.
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineEvent, EventConsumer, MemoryTransport, newEvent, pgUnitOfWork, RedisTransport, type EventHandler, type Transport, EVENT_TABLES_DDL } from '@calos/events';
import { createLogger } from '@calos/kernel';
import { redisReachable, scratchDatabase, TEST_REDIS_URL, type ScratchDatabase } from '@calos/testkit';

// Deliberately no unique constraint on eventId: a double application is an extra row.
const RECEIVED_DDL = `CREATE TABLE "received" ("id" BIGSERIAL PRIMARY KEY, "group" TEXT NOT NULL, "eventId" UUID NOT NULL, "payload" TEXT NOT NULL);`;

const TestEvent = defineEvent('TestEvent', 'Test', z.object({ payload: z.string() }));
const OtherEvent = defineEvent('SomethingNobodyHandles', 'Test', z.object({ payload: z.string() }));

const redisUp = await redisReachable();
const prefix = `test:consumer:${randomBytes(6).toString('hex')}:`;

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
async function until(condition: () => Promise<boolean> | boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

/** A wire payload, as the relay writes it. */
function wire(definition: typeof TestEvent | typeof OtherEvent, payload: string): { eventId: string; json: string } {
  const event = newEvent(definition, 'agg-1', { payload }, { version: 1 });
  return { eventId: event.eventId, json: JSON.stringify(event) };
}

let db: ScratchDatabase;
let pool: pg.Pool;
beforeAll(async () => {
  db = await scratchDatabase('events_consumer');
  pool = new pg.Pool({ connectionString: db.url, max: 4 });
  // pool.end() resolves before its connections are closed; drop()'s WITH (FORCE) may then
  // terminate one, which the pool reports as an 'error' event.
  pool.on('error', () => {});
  await pool.query(EVENT_TABLES_DDL + RECEIVED_DDL);
});
afterAll(async () => {
  await pool?.end();
  await db?.drop();
  if (redisUp) {
    const redis = new Redis(TEST_REDIS_URL);
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
  }
});

const transports = [
  { kind: 'redis', available: redisUp, create: (): Transport => new RedisTransport(TEST_REDIS_URL, { keyPrefix: prefix }) },
  { kind: 'memory', available: true, create: (): Transport => new MemoryTransport() },
];

describe.each(transports)('EventConsumer on the $kind transport', ({ available, create }) => {
  const test = it.skipIf(!available);
  let transport: Transport;
  let n = 0;
  beforeAll(async () => {
    if (!available) return;
    transport = create();
    // RedisTransport fails fast until its connection is up (no offline queue).
    const connected = () => transport.ping().then(
      () => true,
      () => false,
    );
    await until(connected, 'the transport to connect');
  });
  afterAll(async () => {
    await transport?.close();
  });

  /** A consumer on a stream and group of its own; its TestEvent handler records into `received`. */
  function setup(
    options: { maxAttempts?: number; retryMs?: number; handler?: (record: EventHandler<pg.PoolClient>) => EventHandler<pg.PoolClient> } = {},
  ) {
    const id = `${n++}_${randomBytes(3).toString('hex')}`;
    const stream = `events:consumer-test-${id}`;
    const group = `group_${id}`;
    const record: EventHandler<pg.PoolClient> = async (event, tx) => {
      const { payload } = TestEvent.schema.parse(event.data);
      await tx.query(`INSERT INTO "received" ("group", "eventId", "payload") VALUES ($1, $2::uuid, $3)`, [group, event.eventId, payload]);
    };
    const consumer = new EventConsumer<pg.PoolClient>({
      transport,
      group,
      stream,
      handlers: { [TestEvent.type]: options.handler ? options.handler(record) : record },
      unitOfWork: pgUnitOfWork(pool),
      logger: createLogger('consumer-test', 'silent'),
      blockMs: 100,
      ...(options.maxAttempts ? { maxAttempts: options.maxAttempts } : {}),
      ...(options.retryMs ? { retryMs: options.retryMs } : {}),
    });
    const rows = async () =>
      (await pool.query<{ eventId: string; payload: string }>(`SELECT "eventId", "payload" FROM "received" WHERE "group" = $1 ORDER BY "id"`, [group])).rows;
    const inbox = async () =>
      (await pool.query<{ eventId: string }>(`SELECT "eventId" FROM "inbox_events" WHERE "consumer" = $1`, [group])).rows.map((r) => r.eventId);
    return { stream, group, consumer, rows, inbox };
  }

  test('an event delivered twice (same eventId twice on the stream) is applied once and counted as a duplicate', async () => {
    const { stream, group, consumer, rows, inbox } = setup();
    const event = wire(TestEvent, 'only once');
    await transport.append(stream, [event.json, event.json]);
    consumer.start();
    try {
      await until(() => consumer.handled + consumer.duplicates === 2, 'both deliveries');
    } finally {
      await consumer.stop();
    }
    expect(consumer.handled).toBe(1);
    expect(consumer.duplicates).toBe(1);
    expect(await rows()).toEqual([{ eventId: event.eventId, payload: 'only once' }]);
    expect(await inbox()).toEqual([event.eventId]);
    expect(await transport.pendingCount(stream, group)).toBe(0);
    expect(await transport.deadLetterCount(group)).toBe(0);
  });

  test('a handler that always fails for one event dead-letters it after maxAttempts without holding up later events', async () => {
    const attempts: number[] = [];
    const handledAt = new Map<string, number>();
    const { stream, group, consumer, rows, inbox } = setup({
      maxAttempts: 3,
      retryMs: 100,
      handler: (record) => async (event, tx, hooks) => {
        if (TestEvent.schema.parse(event.data).payload === 'poison') {
          attempts.push(Date.now());
          throw new Error('cannot digest poison');
        }
        await record(event, tx, hooks);
        hooks.afterCommit(() => handledAt.set(event.eventId, Date.now()));
      },
    });
    const poison = wire(TestEvent, 'poison');
    const later = [wire(TestEvent, 'later 1'), wire(TestEvent, 'later 2')];
    const [poisonId] = await transport.append(stream, [poison.json, ...later.map((e) => e.json)]);
    consumer.start();
    try {
      await until(async () => (await transport.deadLetterCount(group)) === 1, 'the dead letter');
      await until(() => consumer.handled === 2, 'the later events');
    } finally {
      await consumer.stop();
    }

    const letters = await transport.deadLetters(group);
    expect(letters).toEqual([{ stream, entryId: poisonId, payload: poison.json, error: 'cannot digest poison', attempts: 3 }]);
    expect(attempts).toHaveLength(3);
    // Handled right after the first failure, before the retries: not held up.
    for (const e of later) expect(handledAt.get(e.eventId)).toBeLessThan(attempts[1]!);
    expect((await rows()).map((r) => r.payload)).toEqual(['later 1', 'later 2']);
    // The failed attempts rolled back: the poison event is not in the inbox.
    expect((await inbox()).sort()).toEqual(later.map((e) => e.eventId).sort());
    expect(await transport.pendingCount(stream, group)).toBe(0);
  });

  test('unknown event types are acknowledged and ignored', async () => {
    const { stream, group, consumer, rows, inbox } = setup();
    const unknown = [wire(OtherEvent, 'not for us'), wire(OtherEvent, 'nor this')];
    const known = wire(TestEvent, 'for us');
    await transport.append(stream, [...unknown.map((e) => e.json), known.json]);
    consumer.start();
    try {
      await until(() => consumer.handled === 1, 'the known event');
      await until(async () => (await transport.pendingCount(stream, group)) === 0, 'pending to drain');
    } finally {
      await consumer.stop();
    }
    expect(consumer.duplicates).toBe(0);
    expect(await rows()).toEqual([{ eventId: known.eventId, payload: 'for us' }]);
    expect(await inbox()).toEqual([known.eventId]);
    expect(await transport.pendingCount(stream, group)).toBe(0);
    expect(await transport.deadLetterCount(group)).toBe(0);
  });
});
