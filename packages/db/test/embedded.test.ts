import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '@calos/db';

let embedded: EmbeddedPostgres;
let pool: pg.Pool;
beforeAll(async () => {
  embedded = await startEmbeddedPostgres();
  pool = new pg.Pool({ connectionString: embedded.url, max: 8 });
  await pool.query('CREATE TABLE counters (id INT PRIMARY KEY, n INT NOT NULL)');
  await pool.query('INSERT INTO counters VALUES (1, 0)');
});
afterAll(async () => {
  await pool.end();
  await embedded.stop();
});

describe('embedded PostgreSQL (PGlite over pglite-socket)', () => {
  it('never mixes up the results of concurrent parameterised queries on several connections', async () => {
    const values = Array.from({ length: 300 }, (_, i) => i);
    const results = await Promise.all(values.map((i) => pool.query('SELECT $1::int AS v, $2::text AS s', [i, `s${i}`])));
    expect(results.map((r) => r.rows[0])).toEqual(values.map((i) => ({ v: i, s: `s${i}` })));
  });

  it('keeps a transaction isolated from other connections until it commits or rolls back', async () => {
    const a = await pool.connect();
    try {
      await a.query('BEGIN');
      await a.query('UPDATE counters SET n = 100 WHERE id = 1');
      // Another connection queues behind the open transaction and then sees the committed value.
      const other = pool.query<{ n: number }>('SELECT n FROM counters WHERE id = 1');
      await a.query('ROLLBACK');
      expect((await other).rows[0]!.n).toBe(0);
    } finally {
      a.release();
    }
  });

  it('applies concurrent read-modify-write transactions exactly', async () => {
    await Promise.all(
      Array.from({ length: 50 }, async () => {
        const c = await pool.connect();
        try {
          await c.query('BEGIN');
          const { rows } = await c.query<{ n: number }>('SELECT n FROM counters WHERE id = 1');
          await c.query('UPDATE counters SET n = $1 WHERE id = 1', [rows[0]!.n + 1]);
          await c.query('COMMIT');
        } finally {
          c.release();
        }
      }),
    );
    expect((await pool.query('SELECT n FROM counters WHERE id = 1')).rows[0].n).toBe(50);
  });

  it('rolls back what a connection left open when it disconnects', async () => {
    const c = new pg.Client({ connectionString: embedded.url });
    await c.connect();
    await c.query('BEGIN');
    await c.query('UPDATE counters SET n = -1 WHERE id = 1');
    await c.end();
    expect((await pool.query('SELECT n FROM counters WHERE id = 1')).rows[0].n).toBe(50);
  });
});
