import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVENT_TABLES_DDL, newEvent, pgUnitOfWork, publish, ServiceBus, UserDataPurged, UserDeleted } from '@calos/events';
import { createLogger } from '@calos/kernel';
import { scratchDatabase, startTestSupergraph, type ScratchDatabase, type TestSupergraph } from '@calos/testkit';

/**
 * A stand-in second domain ("notes") with its own database, subscribed to identity's
 * events exactly as the product domains are: it purges a deleted user's rows and
 * reports UserDataPurged through its own outbox.
 */
async function startNotesDomain(sg: TestSupergraph, db: ScratchDatabase) {
  const pool = new pg.Pool({ connectionString: db.url, max: 4 });
  await pool.query(EVENT_TABLES_DDL);
  await pool.query(`CREATE TABLE notes ("id" SERIAL PRIMARY KEY, "userId" UUID NOT NULL, "text" TEXT NOT NULL)`);
  const bus = new ServiceBus<pg.PoolClient>({
    domain: 'notes',
    pool,
    transport: sg.transport,
    logger: createLogger('notes', 'silent'),
    unitOfWork: pgUnitOfWork(pool),
    subscriptions: [
      {
        domain: 'identity',
        handlers: {
          [UserDeleted.type]: async (event, tx) => {
            const { userId } = UserDeleted.schema.parse(event.data);
            const { rowCount } = await tx.query(`DELETE FROM notes WHERE "userId" = $1`, [userId]);
            await publish(tx, newEvent(UserDataPurged, userId, { userId, domain: 'notes', purgedAt: new Date().toISOString(), rowsAffected: rowCount ?? 0 }));
          },
        },
      },
    ],
    relay: { pollMs: 50 },
    consumer: { blockMs: 200 },
  });
  bus.start();
  return { pool, bus, close: async () => (await bus.stop(), await pool.end()) };
}

const STATUS = `query($r: String!) { accountDeletionStatus(receipt: $r) { status requestedAt completedAt domains { domain purged purgedAt } } }`;
const DELETE = `mutation($p: String!) { deleteAccount(password: $p) { receipt status { status domains { domain purged } } } }`;

let sg: TestSupergraph;
let notesDb: ScratchDatabase;
let notes: Awaited<ReturnType<typeof startNotesDomain>>;

beforeAll(async () => {
  notesDb = await scratchDatabase('notes');
  sg = await startTestSupergraph({ env: { identity: { ACCOUNT_DELETION_DOMAINS: 'identity,notes' } } });
  notes = await startNotesDomain(sg, notesDb);
});
afterAll(async () => {
  await notes?.close();
  await sg?.close();
  await notesDb?.drop();
});

describe('deleteAccount', () => {
  it('refuses a wrong password and changes nothing', async () => {
    const user = await sg.signUp();
    const res = await user.gql(DELETE, { p: 'not my password' });
    expect(res.codes).toEqual(['UNAUTHENTICATED']);
    expect((await user.gql('{ me { id } }')).data).toEqual({ me: { id: user.id } });
  });

  it('deletes across domains: identity and a second domain purge, status becomes COMPLETE, tokens stop working', async () => {
    const doomed = await sg.signUp();
    const bystander = await sg.signUp();
    await notes.pool.query(`INSERT INTO notes ("userId", "text") VALUES ($1, 'a'), ($1, 'b'), ($2, 'c')`, [doomed.id, bystander.id]);

    const deleted = await doomed.gql(DELETE, { p: doomed.password });
    expect(deleted.errors).toBeUndefined();
    const { receipt, status } = deleted.data!.deleteAccount;
    expect(status.status).toBe('PENDING');
    expect(status.domains).toEqual([
      { domain: 'identity', purged: false },
      { domain: 'notes', purged: false },
    ]);

    // At once: no session can refresh, no access token works, no sign-in.
    expect((await doomed.gql('{ me { id } }')).codes).toEqual(['UNAUTHENTICATED']);
    expect((await sg.gql('mutation($t: String!) { refreshSession(refreshToken: $t) { accessToken } }', { t: doomed.refreshToken })).codes).toEqual([
      'UNAUTHENTICATED',
    ]);
    expect((await sg.gql('mutation($i: LoginInput!) { login(input: $i) { accessToken } }', { i: { login: doomed.username, password: doomed.password } })).codes).toEqual([
      'UNAUTHENTICATED',
    ]);

    // Eventually: every domain confirmed, the saga completed.
    await expect
      .poll(async () => (await sg.gql(STATUS, { r: receipt })).data?.accountDeletionStatus.status, { timeout: 20_000, interval: 200 })
      .toBe('COMPLETE');
    const final = (await sg.gql(STATUS, { r: receipt })).data!.accountDeletionStatus;
    expect(final.domains.map((d: { domain: string; purged: boolean }) => [d.domain, d.purged])).toEqual([
      ['identity', true],
      ['notes', true],
    ]);
    expect(new Date(final.completedAt).getTime()).toBeGreaterThanOrEqual(new Date(final.requestedAt).getTime());

    // The data is gone: the notes domain kept only the bystander's row; identity anonymised the account.
    expect((await notes.pool.query(`SELECT "userId" FROM notes ORDER BY id`)).rows).toEqual([{ userId: bystander.id }]);
    const identityDb = new pg.Client({ connectionString: sg.databases.identity!.url });
    await identityDb.connect();
    const account = (await identityDb.query(`SELECT username, email, "displayName", "deletedAt" FROM users WHERE id = $1`, [doomed.id])).rows[0];
    const devices = (await identityDb.query(`SELECT count(*)::int AS n FROM devices WHERE "userId" = $1`, [doomed.id])).rows[0];
    await identityDb.end();
    expect(account.username).toMatch(/^~del-[0-9a-f]{24}$/);
    expect(account.email).toMatch(/@deleted\.invalid$/);
    expect(account.displayName).toBe('Deleted user');
    expect(account.deletedAt).toBeInstanceOf(Date);
    expect(devices.n).toBe(0);
    // The name and address are free again.
    const again = await sg.signUp({ username: doomed.username });
    expect(again.id).not.toBe(doomed.id);
    // The bystander is untouched.
    expect((await bystander.gql('{ me { id } }')).data).toEqual({ me: { id: bystander.id } });
  });

  it('lets administrators follow a deletion, and nobody else', async () => {
    const doomed = await sg.signUp();
    const admin = await sg.signUp();
    const identityDb = new pg.Client({ connectionString: sg.databases.identity!.url });
    await identityDb.connect();
    await identityDb.query(`UPDATE users SET roles = ARRAY['USER','ADMIN']::"Role"[] WHERE id = $1`, [admin.id]);
    await identityDb.end();
    await doomed.gql(DELETE, { p: doomed.password });

    const Q = `query($id: ID!) { accountDeletion(userId: $id) { status domains { domain } } }`;
    const asAdmin = await admin.gql(Q, { id: doomed.id });
    expect(asAdmin.errors).toBeUndefined();
    expect(asAdmin.data!.accountDeletion.domains.map((d: { domain: string }) => d.domain)).toEqual(['identity', 'notes']);
    const other = await sg.signUp();
    expect((await other.gql(Q, { id: doomed.id })).codes).toEqual(['FORBIDDEN']);
    expect((await sg.gql(Q, { id: doomed.id })).codes).toEqual(['UNAUTHENTICATED']);
    expect((await sg.gql(STATUS, { r: 'x'.repeat(43) })).data).toEqual({ accountDeletionStatus: null });
  });
});
