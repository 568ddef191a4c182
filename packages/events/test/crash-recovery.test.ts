/**
 * Acceptance test: at-least-once delivery, exactly-once effects (SPEC §4) while the relay
 * and the consumer are SIGKILLed over and over.
 *
 * 10,000 `TestEvent`s are written to a producer database's outbox (100 per transaction)
 * while a relay child process and a consumer child process run against it. Each child is
 * killed at random moments and restarted: the relay sometimes right after Redis
 * acknowledged a batch and before the rows were marked sent (so the batch is published
 * again), the consumer while it is in the middle of a batch (so its successor must take over
 * the entries it left pending). Afterwards `received` — which has no unique constraint on
 * eventId — must hold every event exactly once, with the producer's payloads.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineEvent, newEvent, publish, EVENT_TABLES_DDL } from '@calos/events';
import { redisReachable, scratchDatabase, testDatabaseEngine, TEST_REDIS_URL, type ScratchDatabase } from '@calos/testkit';

const TOTAL = 10_000;
const PER_TRANSACTION = 100;
const MIN_KILLS = 4;
/** After this long (and MIN_KILLS each), stop killing: bounds the run on a slow or busy machine. */
const KILL_PHASE_MS = 25_000;
const STREAM = 'events:crashtest';
const GROUP = 'crashtest';
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

// Deliberately no unique constraint on eventId: a double application is an extra row.
const RECEIVED_DDL = `CREATE TABLE "received" ("id" BIGSERIAL PRIMARY KEY, "eventId" UUID NOT NULL, "payload" TEXT NOT NULL);`;

const TestEvent = defineEvent('TestEvent', 'Test', z.object({ payload: z.string() }));

const servicesUp = (await testDatabaseEngine()) === 'postgres' && (await redisReachable());

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const between = (min: number, max: number) => min + Math.floor(Math.random() * (max - min));

/** A fixture child process and the `@@` lines it writes. */
class Child {
  readonly process: ChildProcess;
  readonly ready: Promise<void>;
  readonly exited: Promise<void>;
  private readonly waiters = new Map<string, Array<() => void>>();
  private stderr = '';

  constructor(
    script: string,
    env: Record<string, string>,
    private readonly onLine: (kind: string, rest: string) => void = () => {},
  ) {
    // `node --import tsx`, not the tsx CLI: the CLI runs the script in a grandchild that a
    // SIGKILL of the CLI would leave running.
    this.process = spawn(process.execPath, ['--import', 'tsx', fixture(script)], {
      cwd: repoRoot,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    live.add(this);
    this.exited = new Promise((resolve) => this.process.once('exit', () => (live.delete(this), resolve())));
    this.process.stderr!.on('data', (chunk: Buffer) => (this.stderr = (this.stderr + chunk.toString()).slice(-4000)));
    createInterface({ input: this.process.stdout! }).on('line', (line) => {
      if (!line.startsWith('@@')) return;
      const [kind = '', ...rest] = line.slice(2).split(' ');
      this.onLine(kind, rest.join(' '));
      const waiting = this.waiters.get(kind) ?? [];
      this.waiters.delete(kind);
      for (const wake of waiting) wake();
    });
    this.ready = Promise.race([
      this.next('ready', 30_000).then((seen) => {
        if (!seen) throw new Error(`${script} did not start: ${this.stderr}`);
      }),
      this.exited.then(() => {
        throw new Error(`${script} exited before it was ready: ${this.stderr}`);
      }),
    ]);
  }

  /** Resolves true when the child writes a `@@<kind>` line, false after timeoutMs or if it exits. */
  next(kind: string, timeoutMs: number): Promise<boolean> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs);
      void this.exited.then(() => resolve(false));
      const list = this.waiters.get(kind) ?? [];
      list.push(() => {
        clearTimeout(timer);
        resolve(true);
      });
      this.waiters.set(kind, list);
    });
  }

  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    if (this.process.exitCode === null && this.process.signalCode === null) this.process.kill(signal);
    await this.exited;
  }
}
const live = new Set<Child>();

describe.skipIf(!servicesUp)('crash recovery: relay and consumer SIGKILLed repeatedly', () => {
  let producerDb: ScratchDatabase;
  let consumerDb: ScratchDatabase;
  let producer: pg.Pool;
  let consumerPool: pg.Pool;
  let redis: Redis;
  const prefix = `test:crash:${randomBytes(6).toString('hex')}:`;

  beforeAll(async () => {
    [producerDb, consumerDb] = await Promise.all([scratchDatabase('crash_producer'), scratchDatabase('crash_consumer')]);
    // Only processes are killed here, never the database server, so commits need not wait
    // for fsync: this keeps 10,000 one-transaction-per-event commits fast on slow disks.
    const admin = new pg.Client({ connectionString: producerDb.url });
    await admin.connect();
    for (const db of [producerDb, consumerDb]) await admin.query(`ALTER DATABASE "${new URL(db.url).pathname.slice(1)}" SET synchronous_commit = off`);
    await admin.end();
    producer = new pg.Pool({ connectionString: producerDb.url, max: 4 });
    consumerPool = new pg.Pool({ connectionString: consumerDb.url, max: 4 });
    // pool.end() resolves before its connections are closed; drop()'s WITH (FORCE) may then
    // terminate one, which the pool reports as an 'error' event.
    for (const pool of [producer, consumerPool]) pool.on('error', () => {});
    await producer.query(EVENT_TABLES_DDL);
    await consumerPool.query(EVENT_TABLES_DDL + RECEIVED_DDL);
    redis = new Redis(TEST_REDIS_URL);
  });

  afterAll(async () => {
    await Promise.all([...live].map((c) => c.kill()));
    if (redis) {
      const keys = await redis.keys(`${prefix}*`);
      if (keys.length) await redis.del(...keys);
      redis.disconnect();
    }
    await producer?.end();
    await consumerPool?.end();
    await producerDb?.drop();
    await consumerDb?.drop();
  });

  it(
    'applies each of 10,000 events exactly once despite SIGKILLs between XADD and mark-sent and mid-batch',
    async () => {
      const started = performance.now();
      const common = { REDIS_URL: TEST_REDIS_URL, KEY_PREFIX: prefix, STREAM: STREAM, LOG_LEVEL: 'fatal' };
      const count = async (pool: pg.Pool, sql: string) => Number((await pool.query<{ n: string }>(sql)).rows[0]?.n ?? 0);
      const backlog = () => count(producer, `SELECT count(*) AS n FROM "outbox_events" WHERE "publishedAt" IS NULL`);
      const receivedCount = () => count(consumerPool, `SELECT count(*) AS n FROM "received"`);

      // The application: 100 transactions of 100 events, while the relay and consumer run.
      let written = 0;
      const writer = (async () => {
        for (let t = 0; t < TOTAL / PER_TRANSACTION; t++) {
          const client = await producer.connect();
          try {
            await client.query('BEGIN');
            for (let i = 0; i < PER_TRANSACTION; i++) {
              const n = t * PER_TRANSACTION + i;
              await publish(client, newEvent(TestEvent, `agg-${n % 97}`, { payload: `payload-${n}-${randomBytes(8).toString('hex')}` }));
            }
            await client.query('COMMIT');
            written += PER_TRANSACTION;
          } catch (error) {
            await client.query('ROLLBACK');
            throw error;
          } finally {
            client.release();
          }
        }
      })();

      // The relay: killed after a random delay, or right after Redis acknowledged a batch
      // (held open 25 ms before mark-sent), until everything written was published.
      let relayKills = 0;
      let killsAfterAppend = 0;
      let relayDone = false;
      const killPhaseOver = () => performance.now() - started > KILL_PHASE_MS;
      const relayLoop = (async () => {
        for (;;) {
          const relay = new Child('relay-process.ts', { ...common, PRODUCER_DATABASE_URL: producerDb.url, BATCH_SIZE: '100', APPEND_DELAY_MS: '25' });
          await relay.ready;
          if (killPhaseOver() && relayKills >= MIN_KILLS) {
            // Enough: this one may finish the backlog.
            while (written < TOTAL || (await backlog()) > 0) await sleep(50);
            await relay.kill();
            break;
          }
          if (relayKills % 2 === 1) {
            if (await relay.next('appended', 1500)) killsAfterAppend++;
          } else {
            await sleep(between(150, 700));
          }
          await relay.kill();
          relayKills++;
          if (written === TOTAL && relayKills >= MIN_KILLS && (await backlog()) === 0) break;
        }
        relayDone = true;
      })();

      // The consumer: killed after a random delay; a kill that left entries pending (not yet
      // handled, or handled and committed but not yet acknowledged) hit it mid-batch.
      let consumerKills = 0;
      let midBatchKills = 0;
      let duplicatesSeen = 0;
      const onConsumerLine = (kind: string) => {
        if (kind === 'dup') duplicatesSeen++;
      };
      let generation = 0;
      const consumerEnv = (name: string) => ({ ...common, CONSUMER_DATABASE_URL: consumerDb.url, GROUP, CONSUMER_NAME: name, CLAIM_IDLE_MS: '1000' });
      const consumerLoop = (async () => {
        while (consumerKills < MIN_KILLS || (!relayDone && !killPhaseOver())) {
          const name = `crash-consumer-${generation++}`;
          const consumer = new Child('consumer-process.ts', consumerEnv(name), onConsumerLine);
          await consumer.ready;
          await sleep(between(150, 700));
          await consumer.kill();
          consumerKills++;
          const pending = (await redis.xpending(prefix + STREAM, GROUP, '-', '+', 1, name).catch(() => [])) as unknown[];
          if (pending.length > 0) midBatchKills++;
        }
        // A final consumer (a new name, like a restarted pod) takes over what its killed
        // predecessors left pending and reads the rest.
        return new Child('consumer-process.ts', consumerEnv('crash-consumer-final'), onConsumerLine);
      })();

      const [, , finalConsumer] = await Promise.all([writer, relayLoop, consumerLoop]);
      const killPhase = (performance.now() - started) / 1000;
      expect(await backlog()).toBe(0);

      // Wait until the group has nothing left to deliver and nothing pending.
      await finalConsumer.ready;
      const stream = prefix + STREAM;
      const drained = async () => {
        const [pending] = (await redis.xpending(stream, GROUP)) as [number];
        const [last] = await redis.xrevrange(stream, '+', '-', 'COUNT', 1);
        const groups = (await redis.xinfo('GROUPS', stream)) as Array<Array<string | number>>;
        const group = groups.find((g) => g[g.indexOf('name') + 1] === GROUP) ?? [];
        return Number(pending) === 0 && last !== undefined && group[group.indexOf('last-delivered-id') + 1] === last[0];
      };
      const deadline = Date.now() + 60_000;
      while (!((await receivedCount()) >= TOTAL && (await drained()))) {
        if (Date.now() > deadline) throw new Error(`consumer did not catch up: ${await receivedCount()} received`);
        await sleep(100);
      }
      await finalConsumer.kill('SIGTERM');

      const streamLength = await redis.xlen(stream);
      const elapsed = (performance.now() - started) / 1000;
      const [received] = (
        await consumerPool.query<{ rows: string; ids: string; checksum: string }>(
          `SELECT count(*) AS rows, count(DISTINCT "eventId") AS ids,
                  md5(string_agg("eventId"::text || ':' || "payload", ',' ORDER BY "eventId")) AS checksum
           FROM "received"`,
        )
      ).rows;
      const [produced] = (
        await producer.query<{ rows: string; checksum: string }>(
          `SELECT count(*) AS rows, md5(string_agg("eventId"::text || ':' || ("data"->>'payload'), ',' ORDER BY "eventId")) AS checksum
           FROM "outbox_events"`,
        )
      ).rows;
      const inbox = await count(consumerPool, `SELECT count(*) AS n FROM "inbox_events" WHERE "consumer" = '${GROUP}'`);

      console.log(
        [
          `crash recovery: ${TOTAL} events in ${elapsed.toFixed(1)} s (${killPhase.toFixed(1)} s until everything was published)`,
          `  relay kills: ${relayKills} (${killsAfterAppend} right after XADD was acknowledged, before mark-sent)`,
          `  consumer kills: ${consumerKills} (${midBatchKills} left entries pending, i.e. mid-batch) + 1 final consumer`,
          `  events published to the stream: ${streamLength} (${streamLength - TOTAL} republished after relay kills)`,
          `  duplicates delivered to the consumer and skipped by the inbox: ${duplicatesSeen}`,
          `  received rows: ${received?.rows}, distinct eventIds: ${received?.ids}, inbox rows: ${inbox}`,
        ].join('\n'),
      );

      expect(Number(produced?.rows)).toBe(TOTAL);
      expect(relayKills).toBeGreaterThanOrEqual(MIN_KILLS);
      expect(consumerKills).toBeGreaterThanOrEqual(MIN_KILLS);
      expect(Number(received?.rows)).toBe(TOTAL);
      expect(Number(received?.ids)).toBe(TOTAL);
      expect(received?.checksum).toBe(produced?.checksum);
      expect(inbox).toBe(TOTAL);
      // The kills did land where they matter: some batches were published twice, and every
      // duplicate in the stream reached the consumer and was recognised by the inbox.
      expect(streamLength).toBeGreaterThan(TOTAL);
      expect(midBatchKills).toBeGreaterThan(0);
      expect(duplicatesSeen).toBeGreaterThanOrEqual(streamLength - TOTAL);
    },
    110_000,
  );
});
