import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { inBackground } from '@calos/kernel';

/**
 * Counts the SQL statements a pool sends on behalf of requests (background work such as
 * the outbox relay runs under runInBackground and is not counted). Tests use it to prove a query plan costs the same
 * number of statements whatever the page size (no N+1).
 */
export class StatementCounter {
  count = 0;
  readonly statements: string[] = [];
  constructor(private readonly keepText = false) {}
  record(text: string): void {
    this.count++;
    if (this.keepText) this.statements.push(text);
  }
  reset(): void {
    this.count = 0;
    this.statements.length = 0;
  }
}

const TX_CONTROL = /^\s*(BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE|SET TRANSACTION)\b/i;

function instrument(pool: pg.Pool, counter: StatementCounter): void {
  pool.on('connect', (client) => {
    // A connection the server drops while checked out fails its query; without a listener its
    // 'error' event would also crash the process.
    client.on('error', () => {});
    const original = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
      const first = args[0];
      const text = typeof first === 'string' ? first : (first as { text?: string } | undefined)?.text;
      if (text && !TX_CONTROL.test(text) && !inBackground()) counter.record(text);
      return original(...args);
    };
  });
}

export interface DatabaseHandle {
  pool: pg.Pool;
  adapter: PrismaPg;
  counter: StatementCounter;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  connectionString: string;
  /** Pool size for this service replica. */
  max?: number;
  /** Keep the text of every counted statement (tests that print them). */
  keepStatementText?: boolean;
}

/**
 * One pool per domain per process, shared by that domain's Prisma client (through the
 * pg driver adapter) and its raw SQL (readiness, outbox relay).
 */
export function openDatabase({ connectionString, max = 10, keepStatementText = false }: DatabaseOptions): DatabaseHandle {
  const pool = new pg.Pool({ connectionString, max, idleTimeoutMillis: 30_000, connectionTimeoutMillis: 10_000 });
  const counter = new StatementCounter(keepStatementText);
  instrument(pool, counter);
  // An idle client dropped by the server must not crash the process; the pool replaces it.
  pool.on('error', () => {});
  const adapter = new PrismaPg(pool);
  return {
    pool,
    adapter,
    counter,
    close: () => pool.end(),
  };
}
