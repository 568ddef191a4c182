import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '@calos/db';
import { gql } from '@calos/testkit';

const freePort = () =>
  new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

const dataDir = mkdtempSync(join(tmpdir(), 'calos-start-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('npm start with nothing installed', () => {
  it('starts the supergraph on embedded PGlite with demo data, answers { me { id } }, and stops cleanly on Ctrl-C', async () => {
    const port = await freePort();
    const started = performance.now();
    // Exactly what a user runs; no database URLs, a brand-new data directory.
    const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), DATA_DIR: dataDir, SUBGRAPH_PORTS: 'random' };
    // Nothing installed: no database URLs, no Redis (the in-process bus is used).
    for (const key of Object.keys(env)) if (key.endsWith('_DATABASE_URL') || key === 'REDIS_URL') delete env[key];
    const child = spawn('npm', ['start'], { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));

    try {
      const url = `http://127.0.0.1:${port}/graphql`;
      let answered: Awaited<ReturnType<typeof gql>> | null = null;
      while (!answered && performance.now() - started < 60_000) {
        answered = await gql(url, '{ me { id } }').catch(() => null);
        if (!answered) await new Promise((r) => setTimeout(r, 100));
      }
      const seconds = (performance.now() - started) / 1000;
      console.log(`npm start answered { me { id } } after ${seconds.toFixed(1)} s (fresh data directory)`);
      expect(answered?.data).toEqual({ me: null });

      // The printed instructions are true: the demo account signs in.
      await expect.poll(() => output, { timeout: 90_000 }).toMatch(/Demo account:\s+demo \/ hollowtown-demo/);
      expect(output).toContain(`Apollo Sandbox:  http://localhost:${port}`);
      const login = await gql(url, 'mutation { login(input: { login: "demo", password: "hollowtown-demo" }) { accessToken user { username } } }');
      expect(login.data?.login.user.username).toBe('demo');
      const me = await gql(
        url,
        '{ me { username credits { balance } recipes(first: 0) { totalCount } mealPlans { entries { id } } shoppingLists { name } families { name members { role } } spookyRecipes(first: 0) { totalCount } } }',
        {},
        { token: login.data?.login.accessToken },
      );
      // The demo kitchen, family and Hollowtown are there, loaded through the API.
      expect(me.errors).toBeUndefined();
      expect(me.data!.me).toMatchObject({ username: 'demo', credits: { balance: 100 }, recipes: { totalCount: 50 }, spookyRecipes: { totalCount: 36 } });
      expect(me.data!.me.mealPlans[0].entries.length).toBeGreaterThan(10);
      expect(me.data!.me.families).toEqual([{ name: 'The Pumpkin Family', members: [{ role: 'ADMIN' }, { role: 'PARENT' }, { role: 'CHILD' }] }]);
      // The party's list is built by mealplans from Hollowtown's events: it follows within moments.
      await expect
        .poll(
          async () =>
            ((await gql(url, '{ me { shoppingLists { name items { name } } } }', {}, { token: login.data?.login.accessToken })).data?.me.shoppingLists ?? []).find(
              (l: { name: string; items: unknown[] }) => l.name === 'Shopping for Hollowtown Halloween Bash' && l.items.length > 0,
            ),
          { timeout: 30_000 },
        )
        .toBeTruthy();
      const ready = await fetch(`http://127.0.0.1:${port}/ready`);
      expect(ready.status).toBe(200);
    } finally {
      // Ctrl-C reaches the whole process group, as in a terminal.
      process.kill(-child.pid!, 'SIGINT');
    }
    // npm itself dies of the SIGINT like any shell job; the supergraph shuts down cleanly and frees its port.
    const { code, signal } = await exited;
    expect(code === 0 || code === 130 || signal === 'SIGINT').toBe(true);
    await expect.poll(() => output, { timeout: 10_000 }).toContain('Stopping…');
    await expect
      .poll(() => fetch(`http://127.0.0.1:${port}/health`).then(() => 'open', () => 'closed'), { timeout: 10_000 })
      .toBe('closed');
    // …and every process of it exits (none lingers in the group after shutting its servers).
    const groupAlive = () => {
      try {
        process.kill(-child.pid!, 0);
        return true;
      } catch {
        return false;
      }
    };
    await expect.poll(groupAlive, { timeout: 15_000 }).toBe(false);
    expect(output).not.toMatch(/error/i);
  }, 180_000);
});
