import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SERVICE_TOKEN_HEADER, signServiceToken } from '@calos/auth';
import { InternalCallError, internalClient, type InternalClient } from '@calos/service';
import { startTestSupergraph, type TestSupergraph } from '@calos/testkit';
import { createCreditService, EXPIRED_REASON, type ReleaseResult, type ReservationResult, type SettleResult } from '../src/credits.js';
import type { IdentityService } from '../src/server.js';

/**
 * Credit reservations over identity's `/internal` HTTP endpoints, as the ai service calls
 * them (service token signed with the stack's service secret), on the real test database.
 */

let stack: TestSupergraph;
let identity: IdentityService;
let ai: InternalClient;

const SWEEP_MS = 200;

beforeAll(async () => {
  stack = await startTestSupergraph({ only: ['identity'], env: { identity: { CREDIT_RESERVATION_SWEEP_MS: String(SWEEP_MS) } } });
  identity = stack.subgraphs.identity!.identity!;
  ai = internalClient({ caller: 'ai', service: 'identity', baseUrl: identity.url, secret: stack.serviceSecret });
});

afterAll(async () => {
  await stack?.close();
});

// ---------------------------------------------------------------------------------------
// helpers

const db = () => identity.services.db;

async function newUser(): Promise<string> {
  return (await stack.signUp()).id;
}

const reserve = (body: Record<string, unknown>) => ai.call<ReservationResult>('post', '/credits/reservations', { ttlSeconds: 300, reason: 'test generation', ...body });
const settle = (id: string, amount: number, reason = 'generation done') =>
  ai.call<SettleResult>('post', `/credits/reservations/${id}/settle`, { amount, reason });
const release = (id: string, reason = 'generation failed') => ai.call<ReleaseResult>('post', `/credits/reservations/${id}/release`, { reason });
const key = () => `gen:${randomUUID()}`;

/** The rejection of a call that must fail. */
async function failure(call: Promise<unknown>): Promise<InternalCallError> {
  const error = await call.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(InternalCallError);
  return error as InternalCallError;
}

async function wallet(userId: string) {
  return db().creditWallet.findUniqueOrThrow({ where: { userId } });
}

async function ledger(userId: string) {
  return db().creditLedgerEntry.findMany({ where: { userId }, orderBy: { createdAt: 'asc' } });
}

const kinds = (entries: Array<{ kind: string }>) => entries.map((e) => e.kind).sort();

async function expireNow(...ids: string[]) {
  await db().$executeRawUnsafe(`UPDATE "credit_reservations" SET "expiresAt" = now() - interval '1 second' WHERE "id" = ANY($1::uuid[])`, ids);
}

async function waitFor(check: () => Promise<boolean>, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await sleep(50);
  }
}

/** Sum of the user's ledger must be the balance, and no entry may show a negative balance. */
async function expectLedgerConsistent(userId: string) {
  const [entries, w] = await Promise.all([ledger(userId), wallet(userId)]);
  expect(entries.reduce((sum, e) => sum + e.amount, 0)).toBe(w.balance);
  expect(entries.filter((e) => e.balanceAfter < 0)).toEqual([]);
  return { entries, wallet: w };
}

// ---------------------------------------------------------------------------------------

describe('reserve', () => {
  it('holds credits: balance moves at once, a RESERVATION ledger entry and a HELD reservation', async () => {
    const userId = await newUser();
    const idempotencyKey = key();
    const before = Date.now();
    const r = await reserve({ userId, amount: 30, idempotencyKey, ttlSeconds: 60 });
    expect(r).toMatchObject({ status: 'HELD', amount: 30, balance: 70 });
    expect(Date.parse(r.expiresAt)).toBeGreaterThanOrEqual(before + 55_000);
    expect(Date.parse(r.expiresAt)).toBeLessThanOrEqual(Date.now() + 65_000);

    const row = await db().creditReservation.findUniqueOrThrow({ where: { id: r.reservationId } });
    expect(row).toMatchObject({ userId, amount: 30, status: 'HELD', idempotencyKey, reason: 'test generation', chargedAmount: 0, settledAt: null, releasedAt: null });
    const { entries, wallet: w } = await expectLedgerConsistent(userId);
    expect(w).toMatchObject({ balance: 70, lifetimeSpent: 0 });
    expect(entries.find((e) => e.kind === 'RESERVATION')).toMatchObject({
      amount: -30,
      balanceAfter: 70,
      reason: 'test generation',
      idempotencyKey: `reservation:${r.reservationId}`,
    });
  });

  it('100 concurrent reservations of 10 against 100 credits: exactly 10 succeed, never overdrawn', async () => {
    const userId = await newUser();
    const results = await Promise.allSettled(Array.from({ length: 100 }, () => reserve({ userId, amount: 10, idempotencyKey: key() })));
    const ok = results.filter((r): r is PromiseFulfilledResult<ReservationResult> => r.status === 'fulfilled');
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((r) => r.reason as InternalCallError);
    expect(ok).toHaveLength(10);
    expect(failed).toHaveLength(90);
    expect(new Set(failed.map((e) => `${e.code} ${e.status}`))).toEqual(new Set(['INSUFFICIENT_CREDITS 402']));
    expect(failed[0]!.extensions).toMatchObject({ required: 10 });
    expect(new Set(ok.map((r) => r.value.balance))).toEqual(new Set([90, 80, 70, 60, 50, 40, 30, 20, 10, 0]));

    const { entries, wallet: w } = await expectLedgerConsistent(userId);
    expect(w.balance).toBe(0);
    expect(entries.filter((e) => e.kind === 'RESERVATION')).toHaveLength(10);
    expect(await db().creditReservation.count({ where: { userId } })).toBe(10);
  });

  it('short balance: INSUFFICIENT_CREDITS 402 with balance and required, nothing written', async () => {
    const userId = await newUser();
    const error = await failure(reserve({ userId, amount: 101, idempotencyKey: key() }));
    expect(error).toMatchObject({ code: 'INSUFFICIENT_CREDITS', status: 402, extensions: { balance: 100, required: 101 } });
    expect(error.message).toMatch(/^Not enough credits/);
    expect(await db().creditReservation.count({ where: { userId } })).toBe(0);
    expect(kinds(await ledger(userId))).toEqual(['GRANT']);
    expect((await wallet(userId)).balance).toBe(100);
  });

  it('the same idempotency key 20 times at once: one reservation, credits moved once', async () => {
    const userId = await newUser();
    const idempotencyKey = key();
    const results = await Promise.all(Array.from({ length: 20 }, () => reserve({ userId, amount: 25, idempotencyKey })));
    expect(new Set(results.map((r) => r.reservationId)).size).toBe(1);
    expect(results.every((r) => r.status === 'HELD' && r.amount === 25 && r.balance === 75)).toBe(true);
    expect(await db().creditReservation.count({ where: { userId } })).toBe(1);
    const { entries, wallet: w } = await expectLedgerConsistent(userId);
    expect(w.balance).toBe(75);
    expect(kinds(entries)).toEqual(['GRANT', 'RESERVATION']);

    // Once settled, the key still answers with that reservation (its status now) and moves nothing.
    await settle(results[0]!.reservationId, 5);
    const again = await reserve({ userId, amount: 25, idempotencyKey });
    expect(again).toMatchObject({ reservationId: results[0]!.reservationId, status: 'SETTLED', amount: 25, balance: 95 });
    expect((await wallet(userId)).balance).toBe(95);
  });

  it("another user's idempotency key is not replayed: 409 IDEMPOTENCY_KEY_REUSED", async () => {
    const [a, b] = await Promise.all([newUser(), newUser()]);
    const idempotencyKey = key();
    await reserve({ userId: a, amount: 10, idempotencyKey });
    const error = await failure(reserve({ userId: b, amount: 10, idempotencyKey }));
    expect(error).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED', status: 409 });
    expect((await wallet(b)).balance).toBe(100);
  });

  it('unknown or deleted user: 404 NOT_FOUND', async () => {
    expect(await failure(reserve({ userId: randomUUID(), amount: 1, idempotencyKey: key() }))).toMatchObject({ code: 'NOT_FOUND', status: 404 });
    const userId = await newUser();
    await db().user.update({ where: { id: userId }, data: { deletedAt: new Date() } });
    expect(await failure(reserve({ userId, amount: 1, idempotencyKey: key() }))).toMatchObject({ code: 'NOT_FOUND', status: 404 });
    expect((await wallet(userId)).balance).toBe(100);
  });
});

describe('settle', () => {
  it('charges the actual cost: RESERVATION, RELEASE, DEBIT in the ledger, lifetimeSpent and balance updated', async () => {
    const userId = await newUser();
    const r = await reserve({ userId, amount: 40, idempotencyKey: key() });
    const s = await settle(r.reservationId, 15, 'recipe suggestion');
    expect(s).toEqual({ reservationId: r.reservationId, status: 'SETTLED', charged: 15, balance: 85 });

    const { entries, wallet: w } = await expectLedgerConsistent(userId);
    expect(w).toMatchObject({ balance: 85, lifetimeSpent: 15 });
    expect(kinds(entries)).toEqual(['DEBIT', 'GRANT', 'RELEASE', 'RESERVATION']);
    expect(entries.find((e) => e.kind === 'RELEASE')).toMatchObject({ amount: 40, balanceAfter: 100, idempotencyKey: `release:${r.reservationId}` });
    expect(entries.find((e) => e.kind === 'DEBIT')).toMatchObject({
      amount: -15,
      balanceAfter: 85,
      reason: 'recipe suggestion',
      idempotencyKey: `debit:${r.reservationId}`,
    });
    const row = await db().creditReservation.findUniqueOrThrow({ where: { id: r.reservationId } });
    expect(row).toMatchObject({ status: 'SETTLED', chargedAmount: 15 });
    expect(row.settledAt).toBeInstanceOf(Date);
  });

  it('settling twice (also concurrently) charges once and answers the same', async () => {
    const userId = await newUser();
    const r = await reserve({ userId, amount: 20, idempotencyKey: key() });
    const results = await Promise.all(Array.from({ length: 5 }, () => settle(r.reservationId, 20)));
    for (const s of results) expect(s).toEqual({ reservationId: r.reservationId, status: 'SETTLED', charged: 20, balance: 80 });
    // A retry with another amount does not change the charge that stands.
    expect(await settle(r.reservationId, 3)).toEqual({ reservationId: r.reservationId, status: 'SETTLED', charged: 20, balance: 80 });
    const { entries, wallet: w } = await expectLedgerConsistent(userId);
    expect(w).toMatchObject({ balance: 80, lifetimeSpent: 20 });
    expect(kinds(entries)).toEqual(['DEBIT', 'GRANT', 'RELEASE', 'RESERVATION']);
  });

  it('settling for 0 releases everything and writes no DEBIT', async () => {
    const userId = await newUser();
    const r = await reserve({ userId, amount: 20, idempotencyKey: key() });
    expect(await settle(r.reservationId, 0)).toMatchObject({ charged: 0, balance: 100 });
    const { entries, wallet: w } = await expectLedgerConsistent(userId);
    expect(w).toMatchObject({ balance: 100, lifetimeSpent: 0 });
    expect(kinds(entries)).toEqual(['GRANT', 'RELEASE', 'RESERVATION']);
  });

  it('more than reserved: 400 BAD_USER_INPUT on amount, nothing changed', async () => {
    const userId = await newUser();
    const r = await reserve({ userId, amount: 20, idempotencyKey: key() });
    const error = await failure(settle(r.reservationId, 21));
    expect(error).toMatchObject({ code: 'BAD_USER_INPUT', status: 400 });
    expect(error.extensions.fields).toHaveProperty('amount');
    expect((await db().creditReservation.findUniqueOrThrow({ where: { id: r.reservationId } })).status).toBe('HELD');
    expect((await wallet(userId)).balance).toBe(80);
  });

  it('after release: 409 RESERVATION_RELEASED; unknown or malformed id: 404 NOT_FOUND', async () => {
    const userId = await newUser();
    const r = await reserve({ userId, amount: 20, idempotencyKey: key() });
    await release(r.reservationId);
    expect(await failure(settle(r.reservationId, 5))).toMatchObject({ code: 'RESERVATION_RELEASED', status: 409 });
    expect(await wallet(userId)).toMatchObject({ balance: 100, lifetimeSpent: 0 });
    expect(await failure(settle(randomUUID(), 5))).toMatchObject({ code: 'NOT_FOUND', status: 404 });
    expect(await failure(settle('not-a-uuid', 5))).toMatchObject({ code: 'NOT_FOUND', status: 404 });
  });
});

describe('release', () => {
  it('restores the balance: ledger shows RESERVATION + RELEASE; releasing again answers the same', async () => {
    const userId = await newUser();
    const r = await reserve({ userId, amount: 35, idempotencyKey: key() });
    expect(await release(r.reservationId, 'model unavailable')).toEqual({ reservationId: r.reservationId, status: 'RELEASED', balance: 100 });
    expect(await release(r.reservationId, 'model unavailable')).toEqual({ reservationId: r.reservationId, status: 'RELEASED', balance: 100 });

    const { entries, wallet: w } = await expectLedgerConsistent(userId);
    expect(w).toMatchObject({ balance: 100, lifetimeSpent: 0 });
    expect(kinds(entries)).toEqual(['GRANT', 'RELEASE', 'RESERVATION']);
    expect(entries.find((e) => e.kind === 'RELEASE')).toMatchObject({ amount: 35, balanceAfter: 100, reason: 'model unavailable' });
    const row = await db().creditReservation.findUniqueOrThrow({ where: { id: r.reservationId } });
    expect(row).toMatchObject({ status: 'RELEASED', releaseReason: 'model unavailable' });
    expect(row.releasedAt).toBeInstanceOf(Date);
  });

  it('after settle: 409 RESERVATION_SETTLED', async () => {
    const userId = await newUser();
    const r = await reserve({ userId, amount: 20, idempotencyKey: key() });
    await settle(r.reservationId, 10);
    expect(await failure(release(r.reservationId))).toMatchObject({ code: 'RESERVATION_SETTLED', status: 409 });
    expect((await wallet(userId)).balance).toBe(90);
  });
});

describe('expiry', () => {
  it("an expired HELD reservation is released by the service's own sweeper", async () => {
    const userId = await newUser();
    const r = await reserve({ userId, amount: 30, idempotencyKey: key(), ttlSeconds: 10 });
    await expireNow(r.reservationId);
    await waitFor(async () => (await db().creditReservation.findUniqueOrThrow({ where: { id: r.reservationId } })).status === 'RELEASED');

    const row = await db().creditReservation.findUniqueOrThrow({ where: { id: r.reservationId } });
    expect(row).toMatchObject({ status: 'RELEASED', releaseReason: EXPIRED_REASON });
    const { entries, wallet: w } = await expectLedgerConsistent(userId);
    expect(w.balance).toBe(100);
    expect(entries.find((e) => e.kind === 'RELEASE')).toMatchObject({ amount: 30, reason: EXPIRED_REASON, idempotencyKey: `release:${r.reservationId}` });
    // The caller comes back too late: its settle is refused, nothing is charged.
    expect(await failure(settle(r.reservationId, 30))).toMatchObject({ code: 'RESERVATION_RELEASED', status: 409 });
  });

  it('several replicas sweeping at once release each reservation exactly once', async () => {
    const users = await Promise.all([newUser(), newUser(), newUser()]);
    const held = await Promise.all(users.flatMap((userId) => Array.from({ length: 5 }, () => reserve({ userId, amount: 10, idempotencyKey: key() }))));
    const ids = held.map((r) => r.reservationId);
    // Not yet expired: nothing to release.
    expect(await identity.credits.releaseExpired()).toBe(0);
    await expireNow(...ids);

    // Other replicas' sweepers on the same database (never started: only swept by hand).
    const replicas = [createCreditService(identity.services, { sweepMs: 60_000 }), createCreditService(identity.services, { sweepMs: 60_000 })];
    const counts = await Promise.all([identity.credits, ...replicas, identity.credits].map((s) => s.releaseExpired()));
    // The service's timer may have taken some of them as well.
    expect(counts.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(ids.length);
    await waitFor(async () => (await db().creditReservation.count({ where: { id: { in: ids }, status: 'RELEASED' } })) === ids.length);

    const releases = await db().creditLedgerEntry.findMany({ where: { idempotencyKey: { in: ids.map((id) => `release:${id}`) } } });
    expect(releases).toHaveLength(ids.length);
    for (const userId of users) {
      const { wallet: w } = await expectLedgerConsistent(userId);
      expect(w.balance).toBe(100);
    }
  });

  it('a stopped sweeper does no more work', async () => {
    let transactions = 0;
    const real = identity.services.db;
    const counting = new Proxy(real, {
      get(target, property) {
        if (property === '$transaction') {
          return (...args: Parameters<typeof real.$transaction>) => {
            transactions++;
            return (target.$transaction as (...a: unknown[]) => Promise<unknown>)(...args);
          };
        }
        return Reflect.get(target, property, target) as unknown;
      },
    });
    const sweeper = createCreditService({ ...identity.services, db: counting }, { sweepMs: 100 });
    sweeper.start();
    await waitFor(async () => transactions >= 2);
    await sweeper.stop();
    const after = transactions;
    await sleep(400);
    expect(await sweeper.releaseExpired()).toBe(0);
    expect(transactions).toBe(after);
  });
});

describe('entitlements', () => {
  const entitlements = (userId: string) => ai.call<{ userId: string; plan: Record<string, unknown> }>('get', `/users/${userId}/entitlements`);

  it("the user's plan: free for a new account, pro after a plan change, free again without a live subscription", async () => {
    const userId = await newUser();
    expect(await entitlements(userId)).toEqual({ userId, plan: { code: 'free', name: 'Free', ratePerMinute: 10, ratePerHour: 100, ratePerDay: 1000 } });

    await db().$executeRawUnsafe(`UPDATE "subscriptions" SET "planCode" = 'pro' WHERE "userId" = $1::uuid`, userId);
    expect(await entitlements(userId)).toEqual({ userId, plan: { code: 'pro', name: 'Pro', ratePerMinute: 60, ratePerHour: 1000, ratePerDay: 10000 } });

    await db().$executeRawUnsafe(`UPDATE "subscriptions" SET "status" = 'CANCELED' WHERE "userId" = $1::uuid`, userId);
    expect((await entitlements(userId)).plan.code).toBe('free');
    await db().$executeRawUnsafe(`DELETE FROM "subscriptions" WHERE "userId" = $1::uuid`, userId);
    expect((await entitlements(userId)).plan.code).toBe('free');
  });

  it('unknown, malformed or deleted user: 404 NOT_FOUND', async () => {
    expect(await failure(entitlements(randomUUID()))).toMatchObject({ code: 'NOT_FOUND', status: 404 });
    expect(await failure(entitlements('nope'))).toMatchObject({ code: 'NOT_FOUND', status: 404 });
    const userId = await newUser();
    await db().user.update({ where: { id: userId }, data: { deletedAt: new Date() } });
    expect(await failure(entitlements(userId))).toMatchObject({ code: 'NOT_FOUND', status: 404 });
  });
});

describe('service authentication and input', () => {
  const url = () => `${identity.url}/internal/credits/reservations`;
  const post = (headers: Record<string, string>, body: unknown) =>
    fetch(url(), { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

  async function expectNothingWritten(userId: string) {
    expect(await db().creditReservation.count({ where: { userId } })).toBe(0);
    expect(kinds(await ledger(userId))).toEqual(['GRANT']);
    expect((await wallet(userId)).balance).toBe(100);
  }

  it('no token, a token signed with another secret, another caller, another audience: 401', async () => {
    const userId = await newUser();
    const body = { userId, amount: 10, idempotencyKey: key(), reason: 'x' };

    const none = await post({}, body);
    expect(none.status).toBe(401);
    expect(await none.json()).toMatchObject({ error: { code: 'UNAUTHENTICATED' } });

    const forged = internalClient({ caller: 'ai', service: 'identity', baseUrl: identity.url, secret: 'f'.repeat(43) });
    expect(await failure(forged.call('post', '/credits/reservations', body))).toMatchObject({ code: 'UNAUTHENTICATED', status: 401 });

    const recipes = internalClient({ caller: 'recipes', service: 'identity', baseUrl: identity.url, secret: stack.serviceSecret });
    expect(await failure(recipes.call('post', '/credits/reservations', body))).toMatchObject({ code: 'UNAUTHENTICATED', status: 401 });
    expect(await failure(recipes.call('get', `/users/${userId}/entitlements`))).toMatchObject({ code: 'UNAUTHENTICATED', status: 401 });

    const otherAudience = await signServiceToken(stack.serviceSecret, { caller: 'ai', audience: 'recipes' });
    expect((await post({ [SERVICE_TOKEN_HEADER]: otherAudience }, body)).status).toBe(401);

    // A token issued for one user cannot spend another's credits.
    const otherUser = await newUser();
    expect(await failure(ai.call('post', '/credits/reservations', body, { userId: otherUser }))).toMatchObject({ code: 'FORBIDDEN', status: 403 });

    await expectNothingWritten(userId);
  });

  it('a bad body: 400 BAD_USER_INPUT with the offending fields, nothing written', async () => {
    const userId = await newUser();
    const error = await failure(
      ai.call('post', '/credits/reservations', { userId, amount: 0, idempotencyKey: '', ttlSeconds: 5, reason: 'x'.repeat(201) }),
    );
    expect(error).toMatchObject({ code: 'BAD_USER_INPUT', status: 400 });
    expect(Object.keys(error.extensions.fields as object).sort()).toEqual(['amount', 'idempotencyKey', 'reason', 'ttlSeconds']);

    const more = await failure(ai.call('post', '/credits/reservations', { userId: 'nope', amount: 1.5, idempotencyKey: key(), ttlSeconds: 3601 }));
    expect(Object.keys(more.extensions.fields as object).sort()).toEqual(['amount', 'reason', 'ttlSeconds', 'userId']);

    const tooMuch = await failure(ai.call('post', '/credits/reservations', { userId, amount: 100_001, idempotencyKey: key(), reason: 'x' }));
    expect(tooMuch.extensions.fields).toHaveProperty('amount');
    const release = await failure(ai.call('post', `/credits/reservations/${randomUUID()}/release`, {}));
    expect(release).toMatchObject({ code: 'BAD_USER_INPUT', status: 400 });
    expect(release.extensions.fields).toHaveProperty('reason');

    await expectNothingWritten(userId);
  });
});

describe('ledger consistency', () => {
  it('after a mixed sequence the ledger sums to the balance', async () => {
    const userId = await newUser();
    const a = await reserve({ userId, amount: 30, idempotencyKey: key() });
    const b = await reserve({ userId, amount: 20, idempotencyKey: key() });
    const c = await reserve({ userId, amount: 40, idempotencyKey: key(), ttlSeconds: 10 });
    await failure(reserve({ userId, amount: 11, idempotencyKey: key() })); // 10 left
    await settle(a.reservationId, 12);
    await release(b.reservationId);
    await expireNow(c.reservationId);
    await identity.credits.releaseExpired();
    await waitFor(async () => (await db().creditReservation.findUniqueOrThrow({ where: { id: c.reservationId } })).status === 'RELEASED');
    const d = await reserve({ userId, amount: 88, idempotencyKey: key() });
    await settle(d.reservationId, 88);
    await settle(d.reservationId, 88);

    const { entries, wallet: w } = await expectLedgerConsistent(userId);
    expect(w).toMatchObject({ balance: 0, lifetimeSpent: 100 });
    // GRANT; a: RESERVATION, RELEASE, DEBIT; b and c: RESERVATION, RELEASE; d: RESERVATION, RELEASE, DEBIT.
    expect(entries).toHaveLength(1 + 3 + 2 + 2 + 3);
  });
});
