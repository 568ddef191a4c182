/**
 * The relay and a consumer survive Redis restarts without intervention: a private
 * redis-server with an fsync-always append-only file is shut down and started again on the
 * same port and directory twice while events trickle into the outbox. Every event must
 * arrive exactly once (inbox + a `received` table without a unique constraint).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { defineEvent, EventConsumer, newEvent, OutboxRelay, pgUnitOfWork, publish, RedisTransport, EVENT_TABLES_DDL } from '@calos/events';
import { createLogger } from '@calos/kernel';
import { scratchDatabase, testDatabaseEngine, type ScratchDatabase } from '@calos/testkit';

// Deliberately no unique constraint on eventId: a double application is an extra row.
const RECEIVED_DDL = `CREATE TABLE "received" ("id" BIGSERIAL PRIMARY KEY, "eventId" UUID NOT NULL, "payload" TEXT NOT NULL);`;

const TestEvent = defineEvent('TestEvent', 'Test', z.object({ payload: z.string() }));
const STREAM = 'events:restarttest';
const GROUP = 'restarttest';

const hasRedisServer = spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;
const servicesUp = hasRedisServer && (await testDatabaseEngine()) === 'postgres';

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** A private, persistent redis-server that can be shut down and started again in place. */
class PrivateRedis {
  private process: ChildProcess | null = null;
  private exited: Promise<void> = Promise.resolve();
  private constructor(
    readonly port: number,
    readonly dir: string,
  ) {}

  static async create(): Promise<PrivateRedis> {
    const redis = new PrivateRedis(await freePort(), mkdtempSync(join(tmpdir(), 'events-redis-')));
    await redis.start();
    return redis;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const args = ['--port', String(this.port), '--bind', '127.0.0.1', '--dir', this.dir, '--appendonly', 'yes', '--appendfsync', 'always', '--save', ''];
    const child = spawn('redis-server', [...args, '--daemonize', 'no', '--protected-mode', 'no'], { stdio: 'ignore' });
    this.process = child;
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    const deadline = Date.now() + 10_000;
    for (;;) {
      const client = new Redis(this.url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
      client.on('error', () => {});
      try {
        await client.connect();
        // Loading the append-only file answers LOADING; wait until it is done.
        if ((await client.ping()) === 'PONG') return;
      } catch {
        if (Date.now() > deadline) throw new Error(`redis-server did not start on port ${this.port}`);
        await sleep(50);
      } finally {
        client.disconnect();
      }
    }
  }

  /** SHUTDOWN, as an operator would; with appendonly the server fsyncs before it exits. */
  async shutdown(): Promise<void> {
    const client = new Redis(this.url, { maxRetriesPerRequest: 0, retryStrategy: () => null });
    client.on('error', () => {});
    await client.call('SHUTDOWN').catch(() => {}); // the connection closes instead of replying
    client.disconnect();
    await this.exited;
    this.process = null;
  }

  async destroy(): Promise<void> {
    if (this.process && this.process.exitCode === null && this.process.signalCode === null) this.process.kill('SIGKILL');
    await this.exited;
    rmSync(this.dir, { recursive: true, force: true });
  }
}

describe.skipIf(!servicesUp)('Redis restarts', () => {
  let db: ScratchDatabase;
  let pool: pg.Pool;
  let server: PrivateRedis;
  let transport: RedisTransport;

  beforeAll(async () => {
    [db, server] = await Promise.all([scratchDatabase('redis_restart'), PrivateRedis.create()]);
    pool = new pg.Pool({ connectionString: db.url, max: 6 });
    // pool.end() resolves before its connections are closed; drop()'s WITH (FORCE) may then
    // terminate one, which the pool reports as an 'error' event.
    pool.on('error', () => {});
    await pool.query(EVENT_TABLES_DDL + RECEIVED_DDL);
    transport = new RedisTransport(server.url, { keyPrefix: 'test:restart:' });
  });

  afterAll(async () => {
    await transport?.close();
    await server?.destroy();
    await pool?.end();
    await db?.drop();
  });

  it('relay and consumer recover by themselves and every event arrives exactly once', { timeout: 60_000 }, async () => {
    const logger = createLogger('redis-restart-test', 'silent');
    const warn = vi.spyOn(logger, 'warn');
    const info = vi.spyOn(logger, 'info');
    const relay = new OutboxRelay({ pool, transport, stream: STREAM, logger, pollMs: 20, maxBackoffMs: 500 });
    const consumer = new EventConsumer<pg.PoolClient>({
      transport,
      group: GROUP,
      stream: STREAM,
      unitOfWork: pgUnitOfWork(pool),
      logger,
      handlers: {
        [TestEvent.type]: async (event, tx) => {
          const { payload } = TestEvent.schema.parse(event.data);
          await tx.query(`INSERT INTO "received" ("eventId", "payload") VALUES ($1::uuid, $2)`, [event.eventId, payload]);
        },
      },
      blockMs: 200,
      claimIdleMs: 1000,
      retryMs: 200,
    });
    relay.start();
    consumer.start();

    // A steady trickle: a transaction with 1–3 events every ~15 ms.
    let produced = 0;
    let producedWhileDown = 0;
    let redisDown = false;
    let producing = true;
    const producer = (async () => {
      while (producing) {
        const client = await pool.connect();
        try {
          await client.query('BEGIN');
          const n = 1 + (produced % 3);
          for (let i = 0; i < n; i++) {
            await publish(client, newEvent(TestEvent, `agg-${produced % 13}`, { payload: `p-${produced + i}-${randomBytes(6).toString('hex')}` }));
          }
          await client.query('COMMIT');
          produced += n;
          if (redisDown) producedWhileDown += n;
        } finally {
          client.release();
        }
        await sleep(15);
      }
    })();

    // On a connection of its own: the transport's may still be reconnecting right after a start.
    const streamLength = async () => {
      const client = new Redis(server.url, { maxRetriesPerRequest: 3 });
      try {
        return await client.xlen(`test:restart:${STREAM}`);
      } finally {
        client.disconnect();
      }
    };
    await sleep(1000);
    const restarts: Array<{ before: number; after: number }> = [];
    for (let i = 0; i < 2; i++) {
      const before = await streamLength();
      redisDown = true;
      await server.shutdown();
      await sleep(1000);
      await server.start();
      redisDown = false;
      restarts.push({ before, after: await streamLength() });
      await sleep(1500);
    }
    producing = false;
    await producer;

    const count = async (sql: string) => Number((await pool.query<{ n: string }>(sql)).rows[0]?.n ?? 0);
    const deadline = Date.now() + 30_000;
    while (
      (await count(`SELECT count(*) AS n FROM "received"`)) < produced ||
      (await relay.backlog()) > 0 ||
      (await transport.pendingCount(STREAM, GROUP)) > 0
    ) {
      if (Date.now() > deadline) throw new Error(`not caught up: ${await count(`SELECT count(*) AS n FROM "received"`)} of ${produced} received`);
      await sleep(100);
    }
    await sleep(300); // anything still in flight would show up now as an extra row
    await Promise.all([relay.stop(), consumer.stop()]);

    const [received] = (
      await pool.query<{ rows: string; ids: string; checksum: string }>(
        `SELECT count(*) AS rows, count(DISTINCT "eventId") AS ids,
                md5(string_agg("eventId"::text || ':' || "payload", ',' ORDER BY "eventId")) AS checksum FROM "received"`,
      )
    ).rows;
    const [outbox] = (
      await pool.query<{ rows: string; checksum: string }>(
        `SELECT count(*) AS rows, md5(string_agg("eventId"::text || ':' || ("data"->>'payload'), ',' ORDER BY "eventId")) AS checksum FROM "outbox_events"`,
      )
    ).rows;
    const length = await streamLength();
    const messages = (spy: typeof warn) => spy.mock.calls.map((call) => call[1] as unknown);
    console.log(
      [
        `redis restart: ${produced} events, ${producedWhileDown} written while Redis was down, 2 restarts`,
        `  stream length before/after each restart (append-only file kept it): ${restarts.map((r) => `${r.before}/${r.after}`).join(', ')}`,
        `  stream length ${length} (${length - produced} duplicates), consumer handled ${consumer.handled}, duplicates skipped ${consumer.duplicates}`,
        `  relay recoveries: ${messages(info).filter((m) => m === 'outbox relay recovered').length}, consumer recoveries: ${messages(info).filter((m) => m === 'event consumer recovered').length}`,
      ].join('\n'),
    );

    expect(Number(outbox?.rows)).toBe(produced);
    expect(Number(received?.rows)).toBe(produced);
    expect(Number(received?.ids)).toBe(produced);
    expect(received?.checksum).toBe(outbox?.checksum);
    expect(await count(`SELECT count(*) AS n FROM "inbox_events" WHERE "consumer" = '${GROUP}'`)).toBe(produced);
    expect(consumer.handled).toBe(produced);
    // Persistence kept what Redis acknowledged before each shutdown.
    for (const r of restarts) expect(r.after).toBeGreaterThanOrEqual(r.before);
    // The outages were real and both loops noticed them and came back without help.
    expect(producedWhileDown).toBeGreaterThan(0);
    expect(messages(warn)).toContain('outbox relay cannot publish; backing off');
    expect(messages(info).filter((m) => m === 'outbox relay recovered').length).toBeGreaterThanOrEqual(2);
    // The consumer's blocking read may ride out a short restart in ioredis' offline queue without
    // an error; whenever it did fail, it must have come back by itself.
    if (messages(warn).includes('event consumer cannot read; backing off')) expect(messages(info)).toContain('event consumer recovered');
    expect(await transport.deadLetterCount(GROUP)).toBe(0);
  });
});
