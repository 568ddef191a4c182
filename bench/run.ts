/**
 * `npm run bench [-- <name>…]` — speed targets, measured here rather than asserted in tests.
 *   start    `npm start` cold (fresh data dir) and warm, until `{ me { id } }` answers; target < 10 s
 *   gateway  `{ me { … } }` through the gateway: requests/s and latency percentiles
 *   events   outbox → Redis Streams → consumer inbox: events/s end to end (real PostgreSQL + Redis)
 *   ai       the Ollama pool's own overhead, and `chat` through the gateway (free and metered)
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '@calos/db';
import { gql, startTestSupergraph } from '@calos/testkit';
import { benchAi } from './ai.js';
import { benchEvents } from './events.js';
import { runLoad } from './load.js';

const benches: Record<string, () => Promise<void>> = { start: benchStart, gateway: benchGateway, events: benchEvents, ai: benchAi };
const selected = process.argv.slice(2).filter((a) => a !== '--');
for (const name of selected.length ? selected : Object.keys(benches)) {
  const bench = benches[name];
  if (!bench) {
    console.error(`unknown bench "${name}"; choose from ${Object.keys(benches).join(', ')}`);
    process.exit(2);
  }
  console.log(`\n## ${name}`);
  await bench();
}

async function timeToAnswer(dataDir: string, port: number): Promise<number> {
  const started = performance.now();
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), DATA_DIR: dataDir, SUBGRAPH_PORTS: 'random', LOG_LEVEL: 'error' };
  for (const key of Object.keys(env)) if (key.endsWith('_DATABASE_URL') || key === 'REDIS_URL') delete env[key];
  const child = spawn(join(repoRoot, 'node_modules/.bin/tsx'), [join(repoRoot, 'scripts/start.ts')], { env, stdio: 'ignore' });
  const exited = new Promise((resolve) => child.on('exit', resolve));
  try {
    for (;;) {
      const res = await gql(`http://127.0.0.1:${port}/graphql`, '{ me { id } }').catch(() => null);
      if (res?.data) return (performance.now() - started) / 1000;
      if (performance.now() - started > 60_000) throw new Error('npm start did not answer within 60 s');
      await new Promise((r) => setTimeout(r, 50));
    }
  } finally {
    child.kill('SIGINT');
    await exited;
  }
}

async function benchStart(): Promise<void> {
  const rows: string[] = [];
  for (let run = 1; run <= 3; run++) {
    const dataDir = mkdtempSync(join(tmpdir(), 'bench-start-'));
    try {
      const cold = await timeToAnswer(dataDir, 4900 + run);
      const warm = await timeToAnswer(dataDir, 4910 + run);
      rows.push(`run ${run}: cold ${cold.toFixed(2)} s (fresh PGlite, migrations, demo data), warm ${warm.toFixed(2)} s`);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }
  console.log(rows.join('\n'));
  console.log('target: < 10 s to answer { me { id } } on a fresh clone');
}

async function benchGateway(): Promise<void> {
  const sg = await startTestSupergraph();
  try {
    const user = await sg.signUp();
    const query = '{ me { id username email credits { balance } subscription { plan { code } } } }';
    for (let i = 0; i < 50; i++) await user.gql(query); // warm-up
    const total = 2000;
    const concurrency = 20;
    const stats = await runLoad(total, concurrency, async () => {
      const res = await user.gql(query);
      if (!res.data?.me) throw new Error(JSON.stringify(res.errors));
    });
    console.log(`${total} authenticated queries, ${concurrency} concurrent, ${sg.engine}: ${stats}`);
  } finally {
    await sg.close();
  }
}
