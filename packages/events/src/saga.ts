import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { runInBackground, type Logger } from '@calos/kernel';
import type pg from 'pg';

/**
 * A small saga orchestrator. A saga's state lives in the owning service's database
 * (`saga_instances`), so a restarted process resumes where the last one stopped. Each
 * step runs under a lease (no two replicas run one saga at once) and must be idempotent:
 * a crash after a step's effect but before its bookkeeping runs the step again.
 *
 * A step returns the next state to advance, or `{ wait }` to be re-run later (on a
 * signal or after `retryInMs`). A step that keeps failing turns the saga around: the
 * compensations of the completed steps run in reverse order and it ends FAILED.
 */
export type StepResult<S> = { state: S } | { wait: true; state?: S; retryInMs?: number };

export interface SagaStep<S> {
  name: string;
  run(state: S, saga: { id: string; key: string }): Promise<StepResult<S>>;
  compensate?(state: S, saga: { id: string; key: string }): Promise<void>;
}

export interface SagaDefinition<S> {
  type: string;
  steps: SagaStep<S>[];
  /** Failed attempts of one step before compensating (default 5). */
  maxAttempts?: number;
  retryDelayMs?: number;
}

export type SagaStatus = 'RUNNING' | 'WAITING' | 'COMPENSATING' | 'COMPLETED' | 'FAILED';

export interface SagaRecord<S = unknown> {
  id: string;
  key: string;
  type: string;
  status: SagaStatus;
  step: number;
  state: S;
  error: string | null;
  attempts: number;
}

/**
 * "Due now", truncated to the column's millisecond precision: a plain now() is rounded when
 * stored and can land a fraction of a millisecond in the future, so a saga started this
 * instant would not yet be due.
 */
const DUE_NOW = `date_trunc('milliseconds', now())`;

export const defineSaga = <S>(definition: SagaDefinition<S>) => definition;

interface Row {
  id: string;
  key: string;
  type: string;
  status: SagaStatus;
  step: number;
  state: unknown;
  error: string | null;
  attempts: number;
}

export interface OrchestratorOptions {
  pool: pg.Pool;
  logger: Logger;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- one orchestrator runs sagas of different state types
  sagas: SagaDefinition<any>[];
  /** How often to look for sagas that are due (resume after restart, waits, retries). */
  pollMs?: number;
  leaseMs?: number;
}

export class SagaOrchestrator {
  private readonly definitions = new Map<string, SagaDefinition<unknown>>();
  private readonly owner = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private running = false;
  private loop: Promise<void> | null = null;
  private wakeUp: (() => void) | null = null;

  constructor(private readonly options: OrchestratorOptions) {
    for (const saga of options.sagas) this.definitions.set(saga.type, saga as SagaDefinition<unknown>);
  }

  /**
   * Records a saga to run (idempotent by key) inside the caller's transaction when one is
   * given, so the saga exists if and only if the change that starts it committed.
   */
  static async create<S>(
    db: { query(text: string, values?: unknown[]): Promise<unknown> } | { $executeRawUnsafe(q: string, ...v: unknown[]): Promise<number> },
    saga: { type: string; key: string; state: S; step?: number },
  ): Promise<void> {
    const sql = `INSERT INTO "saga_instances" ("id", "key", "type", "status", "step", "state", "nextRunAt", "updatedAt")
                 VALUES ($1::uuid, $2, $3, 'RUNNING', $4, $5::jsonb, ${DUE_NOW}, now()) ON CONFLICT ("key") DO NOTHING`;
    const values = [randomUUID(), saga.key, saga.type, saga.step ?? 0, JSON.stringify(saga.state)];
    if ('$executeRawUnsafe' in db) await db.$executeRawUnsafe(sql, ...values);
    else await db.query(sql, values);
  }

  async start<S>(type: string, key: string, state: S): Promise<void> {
    await SagaOrchestrator.create(this.options.pool, { type, key, state });
    this.signal();
  }

  async get(key: string): Promise<SagaRecord | null> {
    const { rows } = await this.options.pool.query<Row>(`SELECT * FROM "saga_instances" WHERE "key" = $1`, [key]);
    return rows[0] ?? null;
  }

  /** Something a waiting saga waits for has happened: look at due sagas now. */
  signal(key?: string): void {
    if (key) {
      void this.options.pool
        .query(`UPDATE "saga_instances" SET "nextRunAt" = ${DUE_NOW} WHERE "key" = $1 AND "status" IN ('WAITING', 'RUNNING')`, [key])
        .then(() => this.wakeUp?.())
        .catch(() => {});
    } else {
      this.wakeUp?.();
    }
  }

  startPolling(): void {
    if (this.running) return;
    this.running = true;
    this.loop = runInBackground(() => this.poll());
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wakeUp?.();
    await this.loop;
  }

  private async poll(): Promise<void> {
    const { pollMs = 1000, logger } = this.options;
    while (this.running) {
      try {
        while (this.running && (await this.runDue()) > 0) {
          /* drain */
        }
      } catch (error) {
        logger.warn({ err: error }, 'saga orchestrator poll failed');
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, pollMs);
        this.wakeUp = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wakeUp = null;
    }
  }

  /** Runs one step of every due saga this replica can lease; returns how many ran. */
  async runDue(limit = 20): Promise<number> {
    const { pool, leaseMs = 60_000 } = this.options;
    const { rows } = await pool.query<Row>(
      `UPDATE "saga_instances" SET "lockedBy" = $1, "lockedUntil" = now() + ($2 || ' milliseconds')::interval
       WHERE "id" IN (
         SELECT "id" FROM "saga_instances"
         WHERE "status" IN ('RUNNING', 'WAITING', 'COMPENSATING') AND "nextRunAt" <= now()
           AND ("lockedUntil" IS NULL OR "lockedUntil" < now())
         ORDER BY "nextRunAt" LIMIT $3 FOR UPDATE SKIP LOCKED)
       RETURNING "id", "key", "type", "status", "step", "state", "error", "attempts"`,
      [this.owner, String(leaseMs), limit],
    );
    for (const row of rows) await this.runStep(row);
    return rows.length;
  }

  private async save(row: Row, patch: Partial<Row> & { nextRunInMs?: number }): Promise<void> {
    const next = { ...row, ...patch };
    await this.options.pool.query(
      `UPDATE "saga_instances" SET "status" = $2, "step" = $3, "state" = $4::jsonb, "error" = $5, "attempts" = $6,
         "nextRunAt" = ${DUE_NOW} + ($7 || ' milliseconds')::interval, "lockedBy" = NULL, "lockedUntil" = NULL, "updatedAt" = now()
       WHERE "id" = $1 AND "lockedBy" = $8`,
      [row.id, next.status, next.step, JSON.stringify(next.state), next.error, next.attempts, String(patch.nextRunInMs ?? 0), this.owner],
    );
  }

  private async runStep(row: Row): Promise<void> {
    const { logger } = this.options;
    const definition = this.definitions.get(row.type);
    if (!definition) {
      await this.save(row, { nextRunInMs: 60_000 }); // another service version may know it
      return;
    }
    const ref = { id: row.id, key: row.key };
    if (row.status === 'COMPENSATING') {
      const step = definition.steps[row.step];
      try {
        if (step?.compensate) await step.compensate(row.state, ref);
        const previous = row.step - 1;
        if (previous < 0) await this.save(row, { status: 'FAILED', step: 0 });
        else await this.save(row, { step: previous });
      } catch (error) {
        logger.error({ err: error, saga: row.key, step: step?.name }, 'saga compensation failed; will retry');
        await this.save(row, { attempts: row.attempts + 1, error: (error as Error).message, nextRunInMs: definition.retryDelayMs ?? 1000 });
      }
      return;
    }
    const step = definition.steps[row.step];
    if (!step) {
      await this.save(row, { status: 'COMPLETED' });
      return;
    }
    try {
      const result = await step.run(row.state, ref);
      if ('wait' in result) {
        await this.save(row, { status: 'WAITING', state: result.state ?? row.state, nextRunInMs: result.retryInMs ?? 60_000 });
        return;
      }
      const last = row.step + 1 >= definition.steps.length;
      await this.save(row, { status: last ? 'COMPLETED' : 'RUNNING', step: row.step + 1, state: result.state, attempts: 0, error: null });
      if (!last) this.wakeUp?.();
    } catch (error) {
      const attempts = row.attempts + 1;
      const message = (error as Error).message;
      if (attempts >= (definition.maxAttempts ?? 5)) {
        logger.error({ err: error, saga: row.key, step: step.name }, 'saga step failed for good; compensating');
        // The failed step had no effect to undo: compensate from the one before it.
        if (row.step === 0) await this.save(row, { status: 'FAILED', attempts, error: message });
        else await this.save(row, { status: 'COMPENSATING', step: row.step - 1, attempts: 0, error: message });
      } else {
        logger.warn({ err: error, saga: row.key, step: step.name, attempts }, 'saga step failed; will retry');
        await this.save(row, { attempts, error: message, nextRunInMs: (definition.retryDelayMs ?? 1000) * 2 ** (attempts - 1) });
      }
    }
  }
}
