import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { defineSaga, SAGA_TABLE_DDL, SagaOrchestrator, type SagaDefinition } from '@calos/events';
import { createLogger } from '@calos/kernel';
import { scratchDatabase, type ScratchDatabase } from '@calos/testkit';

let db: ScratchDatabase;
let pool: pg.Pool;
const logger = createLogger('saga-test', 'silent');
const log: string[] = [];

beforeAll(async () => {
  db = await scratchDatabase('saga');
  pool = new pg.Pool({ connectionString: db.url, max: 6 });
  pool.on('error', () => {}); // connections killed when the scratch database is dropped
  await pool.query(SAGA_TABLE_DDL);
});
afterAll(async () => {
  await pool.end();
  await db.drop();
});
beforeEach(() => {
  log.length = 0;
});

interface Order {
  n: number;
}

/** reserve → charge → ship, each recording what it did; `failAt` makes a step throw. */
function orderSaga(failAt?: string): SagaDefinition<Order> {
  const step = (name: string) => ({
    name,
    async run(state: Order) {
      log.push(`run:${name}`);
      if (name === failAt) throw new Error(`${name} is down`);
      return { state: { n: state.n + 1 } };
    },
    async compensate() {
      log.push(`undo:${name}`);
    },
  });
  return defineSaga<Order>({ type: 'order', steps: [step('reserve'), step('charge'), step('ship')], maxAttempts: 3, retryDelayMs: 1 });
}

async function drain(orchestrator: SagaOrchestrator) {
  for (let i = 0; i < 50; i++) {
    if ((await orchestrator.runDue()) === 0) {
      const { rows } = await pool.query(`SELECT count(*)::int AS n FROM saga_instances WHERE status IN ('RUNNING','COMPENSATING') OR (status = 'WAITING' AND "nextRunAt" <= now())`);
      if (rows[0].n === 0) return;
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}

describe('saga orchestrator', () => {
  it('runs every step in order and completes', async () => {
    const o = new SagaOrchestrator({ pool, logger, sagas: [orderSaga()] });
    await o.start('order', 'order:1', { n: 0 });
    await drain(o);
    expect(log).toEqual(['run:reserve', 'run:charge', 'run:ship']);
    expect(await o.get('order:1')).toMatchObject({ status: 'COMPLETED', state: { n: 3 } });
  });

  it('starting the same key twice runs it once', async () => {
    const o = new SagaOrchestrator({ pool, logger, sagas: [orderSaga()] });
    await o.start('order', 'order:2', { n: 0 });
    await o.start('order', 'order:2', { n: 100 });
    await drain(o);
    expect(log.filter((l) => l === 'run:reserve')).toHaveLength(1);
    expect(await o.get('order:2')).toMatchObject({ status: 'COMPLETED', state: { n: 3 } });
  });

  it('retries a failing step, then compensates the completed steps in reverse and ends FAILED', async () => {
    const o = new SagaOrchestrator({ pool, logger, sagas: [orderSaga('ship')] });
    await o.start('order', 'order:3', { n: 0 });
    await drain(o);
    expect(log).toEqual(['run:reserve', 'run:charge', 'run:ship', 'run:ship', 'run:ship', 'undo:charge', 'undo:reserve']);
    expect(await o.get('order:3')).toMatchObject({ status: 'FAILED', error: 'ship is down' });
  });

  it('resumes after a restart from the state stored in the database', async () => {
    const first = new SagaOrchestrator({ pool, logger, sagas: [orderSaga()] });
    await first.start('order', 'order:4', { n: 0 });
    expect(await first.runDue()).toBe(1); // reserve, then the process "dies"
    expect(await first.get('order:4')).toMatchObject({ status: 'RUNNING', step: 1 });
    const second = new SagaOrchestrator({ pool, logger, sagas: [orderSaga()] });
    await drain(second);
    expect(log).toEqual(['run:reserve', 'run:charge', 'run:ship']);
    expect(await second.get('order:4')).toMatchObject({ status: 'COMPLETED' });
  });

  it('never runs one saga step on two replicas at once', async () => {
    let concurrent = 0;
    let maxConcurrent = 0;
    const slow: SagaDefinition<Order> = defineSaga<Order>({
      type: 'slow',
      steps: ['a', 'b'].map((name) => ({
        name,
        async run(state: Order) {
          concurrent++;
          maxConcurrent = Math.max(maxConcurrent, concurrent);
          log.push(`run:${name}`);
          await new Promise((r) => setTimeout(r, 50));
          concurrent--;
          return { state };
        },
      })),
    });
    const replicas = [1, 2, 3].map(() => new SagaOrchestrator({ pool, logger, sagas: [slow] }));
    await replicas[0]!.start('slow', 'slow:1', { n: 0 });
    await Promise.all(replicas.map((r) => drain(r)));
    expect(log).toEqual(['run:a', 'run:b']);
    expect(maxConcurrent).toBe(1);
  });

  it('a waiting step runs again when signalled', async () => {
    let open = false;
    const gate = defineSaga<Order>({
      type: 'gate',
      steps: [{ name: 'wait-for-gate', run: async (state) => (open ? { state } : { wait: true, retryInMs: 60_000 }) }],
    });
    const o = new SagaOrchestrator({ pool, logger, sagas: [gate], pollMs: 10 });
    o.startPolling();
    try {
      await o.start('gate', 'gate:1', { n: 0 });
      await expect.poll(async () => (await o.get('gate:1'))?.status).toBe('WAITING');
      open = true;
      o.signal('gate:1');
      await expect.poll(async () => (await o.get('gate:1'))?.status, { timeout: 5000 }).toBe('COMPLETED');
    } finally {
      await o.stop();
    }
  });
});
