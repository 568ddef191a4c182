import { readdirSync } from 'node:fs';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { implementedDomains, migrateDown, migrationsDir, type Domain } from '@calos/db';
import { scratchDatabase, startTestSupergraph, type ScratchDatabase, type TestSupergraph, type TestUser } from '@calos/testkit';

const logLines: Array<Record<string, unknown>> = [];
const logger = pino(
  { level: 'info' },
  new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) logLines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  }),
);

let db: ScratchDatabase;
const others: ScratchDatabase[] = [];
let sg: TestSupergraph;
let user: TestUser;
beforeAll(async () => {
  // Databases of its own for every domain (it breaks identity's), so it gets an event namespace of its own.
  db = await scratchDatabase('broken');
  const databases: Partial<Record<Domain, string>> = { identity: db.url };
  for (const domain of implementedDomains().filter((d) => d !== 'identity')) {
    const scratch = await scratchDatabase(`ready_${domain}`);
    others.push(scratch);
    databases[domain] = scratch.url;
  }
  sg = await startTestSupergraph({ databases, isolated: true, logger });
  user = await sg.signUp();
});
afterAll(async () => {
  await sg?.close();
  await db?.drop();
  for (const scratch of others) await scratch.drop();
});

describe('when a database goes wrong', () => {
  it('is ready while everything is fine', async () => {
    const res = await fetch(`${sg.gateway.url}/ready`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { status: string; subgraphs: Array<{ name: string; ok: boolean; ms: number }> };
    expect(body.status).toBe('ready');
    expect(body.subgraphs.map((s) => s.name).sort()).toEqual(Object.keys(sg.subgraphs).sort());
    for (const subgraph of body.subgraphs) expect(subgraph).toMatchObject({ ok: true, ms: expect.any(Number) });
    const identity = (await (await fetch(`${sg.subgraphs.identity!.url}/ready`)).json()) as { checks: Array<{ name: string; ok: boolean }> };
    expect(identity.checks.map((c) => [c.name, c.ok])).toEqual([
      ['database', true],
      ['migrations', true],
      ['events', true],
    ]);
    expect(identity.checks[2]).toMatchObject({ transport: sg.transport.kind, outboxBacklog: expect.any(Number), deadLetters: 0 });
  });

  it('masks the failure for the client (no SQL, no stack) and logs it with the request id', async () => {
    // Roll the whole schema back under the running service.
    const migrations = readdirSync(migrationsDir('identity')).filter((name) => /^\d+_/.test(name));
    for (const _ of migrations) await migrateDown({ connectionString: db.url, dir: migrationsDir('identity') });
    const res = await user.gql('{ me { id username } }');
    expect(res.codes).toEqual(['INTERNAL_SERVER_ERROR']);
    const error = res.errors![0]!;
    const text = JSON.stringify(res.errors);
    expect(text).not.toMatch(/relation|users|SELECT|prisma|at .*\.ts|stack/i);
    const requestId = error.extensions?.requestId as string;
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(error.message).toBe(`Internal server error (request ${requestId}).`);
    expect(res.headers.get('x-request-id')).toBe(requestId);
    // The operator can find the real cause by that id.
    expect(logLines.some((l) => l.requestId === requestId && l.level === 50 && /users|relation/i.test(JSON.stringify(l)))).toBe(true);
  });

  it('reports not ready while migrations are pending, naming the fix', async () => {
    const res = await fetch(`${sg.gateway.url}/ready`);
    expect(res.status).toBe(503);
    const identity = (await (await fetch(`${sg.subgraphs.identity!.url}/ready`)).json()) as {
      checks: Array<{ name: string; ok: boolean; error?: string }>;
    };
    expect(identity.checks.slice(0, 2)).toEqual([
      expect.objectContaining({ name: 'database', ok: true }),
      expect.objectContaining({ name: 'migrations', ok: false, error: expect.stringMatching(/npm run migrate:identity/) }),
    ]);
  });

  it('reports the database unreachable when it is gone', async () => {
    await db.drop();
    const identity = await fetch(`${sg.subgraphs.identity!.url}/ready`);
    expect(identity.status).toBe(503);
    const body = (await identity.json()) as { checks: Array<{ name: string; ok: boolean }> };
    expect(body.checks.find((c) => c.name === 'database')!.ok).toBe(false);
    expect((await fetch(`${sg.gateway.url}/health`)).status).toBe(200);
  });
});
