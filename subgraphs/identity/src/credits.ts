import { z } from 'zod';
import { ErrorCode, isUuid, runInBackground } from '@calos/kernel';
import { InternalError, internalRoute, type InternalCall, type InternalRoute } from '@calos/service';
import { FREE_PLAN } from './accounts.js';
import type { IdentityServices } from './context.js';
import type { Prisma } from './generated/prisma/client.js';

/**
 * Credit reservations, the identity half of the metered-AI credits saga: the ai service
 * reserves credits before a generation (moved out of the balance at once, so concurrent
 * calls can never overspend), then settles the actual cost or releases the hold. A caller
 * that crashes in between leaves a HELD reservation; the sweeper releases it when it expires.
 *
 * Ledger idempotency keys: `reservation:<id>`, `release:<id>`, `debit:<id>` (by reservation
 * id: the caller's key may itself be 200 characters, too long to prefix).
 */

type Tx = Prisma.TransactionClient;

/** Only the ai service meters credits. */
export const CREDIT_CALLERS = ['ai'] as const;
export const EXPIRED_REASON = 'reservation expired';
const SWEEP_BATCH = 100;

const uuid = z.string().refine(isUuid, 'must be a UUID');
/** A path id: anything that is not a UUID names no row and is simply not found. */
const pathId = z.string().max(100);

export const reserveInput = z.object({
  userId: uuid,
  amount: z.number().int().min(1).max(100_000),
  idempotencyKey: z.string().min(1).max(200),
  ttlSeconds: z.number().int().min(10).max(3600).default(300),
  reason: z.string().min(1).max(200),
});

export const settleInput = z.object({
  id: pathId,
  amount: z.number().int().min(0).max(100_000),
  reason: z.string().min(1).max(200),
});

export const releaseInput = z.object({
  id: pathId,
  reason: z.string().min(1).max(200),
});

export const entitlementsInput = z.object({ id: pathId });

export type ReservationStatus = 'HELD' | 'SETTLED' | 'RELEASED';

export interface ReservationResult {
  reservationId: string;
  status: ReservationStatus;
  amount: number;
  balance: number;
  expiresAt: string;
}

export interface SettleResult {
  reservationId: string;
  status: 'SETTLED';
  charged: number;
  balance: number;
}

export interface ReleaseResult {
  reservationId: string;
  status: 'RELEASED';
  balance: number;
}

export interface Entitlements {
  userId: string;
  plan: { code: string; name: string; ratePerMinute: number; ratePerHour: number; ratePerDay: number };
}

interface ReservationRow {
  id: string;
  userId: string;
  amount: number;
  status: ReservationStatus;
  chargedAmount: number;
  expiresAt: Date;
}

const notFound = (what: string) => new InternalError(ErrorCode.NOT_FOUND, `${what} not found.`, 404);

async function balanceOf(tx: Tx, userId: string): Promise<number> {
  const wallet = await tx.creditWallet.findUnique({ where: { userId }, select: { balance: true } });
  return wallet?.balance ?? 0;
}

async function lockReservation(tx: Tx, id: string): Promise<ReservationRow> {
  if (!isUuid(id)) throw notFound('Reservation');
  const [row] = await tx.$queryRaw<ReservationRow[]>`
    SELECT "id", "userId", "amount", "status"::text AS "status", "chargedAmount", "expiresAt"
    FROM "credit_reservations" WHERE "id" = ${id}::uuid FOR UPDATE`;
  if (!row) throw notFound('Reservation');
  return row;
}

/** Gives a HELD reservation's credits back; the caller holds its row lock. Returns the new balance. */
async function releaseHeld(tx: Tx, reservation: Pick<ReservationRow, 'id' | 'userId' | 'amount'>, reason: string): Promise<number> {
  const { balance } = await tx.creditWallet.update({
    where: { userId: reservation.userId },
    data: { balance: { increment: reservation.amount } },
    select: { balance: true },
  });
  await tx.creditLedgerEntry.create({
    data: { userId: reservation.userId, kind: 'RELEASE', amount: reservation.amount, balanceAfter: balance, reason, idempotencyKey: `release:${reservation.id}` },
  });
  await tx.creditReservation.update({
    where: { id: reservation.id },
    data: { status: 'RELEASED', releaseReason: reason, releasedAt: new Date() },
  });
  return balance;
}

export async function reserveCredits(services: IdentityServices, input: z.infer<typeof reserveInput>, call?: InternalCall): Promise<ReservationResult> {
  const { db, logger } = services;
  const log = { userId: input.userId, caller: call?.caller, requestId: call?.requestId };
  // A caller that names the user it acts for in its token may only spend that user's credits.
  if (call?.userId && call.userId !== input.userId) throw new InternalError('FORBIDDEN', 'The service token was issued for another user.', 403);

  const replay = async (tx: Tx): Promise<ReservationResult | null> => {
    const existing = await tx.creditReservation.findUnique({ where: { idempotencyKey: input.idempotencyKey } });
    if (!existing) return null;
    // Keys are global; another user's reservation is not this caller's to see.
    if (existing.userId !== input.userId) {
      throw new InternalError('IDEMPOTENCY_KEY_REUSED', 'This idempotency key was already used for another user.', 409);
    }
    logger.debug({ ...log, reservationId: existing.id, status: existing.status }, 'credit reservation replayed');
    return {
      reservationId: existing.id,
      status: existing.status,
      amount: existing.amount,
      balance: await balanceOf(tx, input.userId),
      expiresAt: existing.expiresAt.toISOString(),
    };
  };

  return db.$transaction(async (tx) => {
    const previous = await replay(tx);
    if (previous) return previous;
    const user = await tx.user.findFirst({ where: { id: input.userId, deletedAt: null }, select: { id: true } });
    if (!user) throw notFound('User');

    // Claim the key first: a concurrent call with the same key waits on the unique index
    // here, then finds nothing to insert and replays ours instead of moving credits again.
    // expiresAt uses the database clock, the one the sweeper compares with.
    const [claimed] = await tx.$queryRaw<Array<{ id: string; expiresAt: Date }>>`
      INSERT INTO "credit_reservations" ("userId", "amount", "idempotencyKey", "reason", "expiresAt")
      VALUES (${input.userId}::uuid, ${input.amount}::int, ${input.idempotencyKey}, ${input.reason}, now() + ${input.ttlSeconds}::int * interval '1 second')
      ON CONFLICT ("idempotencyKey") DO NOTHING
      RETURNING "id", "expiresAt"`;
    if (!claimed) {
      const raced = await replay(tx);
      if (!raced) throw new Error('reservation key conflicted but no reservation holds it');
      return raced;
    }

    // Conditional and atomic: concurrent reservations queue on the wallet row and each
    // re-checks the balance it finds, so the balance never goes below zero.
    const [moved] = await tx.$queryRaw<Array<{ balance: number }>>`
      UPDATE "credit_wallets" SET "balance" = "balance" - ${input.amount}::int, "updatedAt" = now()
      WHERE "userId" = ${input.userId}::uuid AND "balance" >= ${input.amount}::int
      RETURNING "balance"`;
    if (!moved) {
      const balance = await balanceOf(tx, input.userId);
      logger.info({ ...log, required: input.amount, balance }, 'credit reservation refused: insufficient credits');
      // Thrown inside the transaction: the claimed key is rolled back too.
      throw new InternalError(ErrorCode.INSUFFICIENT_CREDITS, `Not enough credits: ${input.amount} needed, ${balance} available.`, 402, {
        balance,
        required: input.amount,
      });
    }
    await tx.creditLedgerEntry.create({
      data: {
        userId: input.userId,
        kind: 'RESERVATION',
        amount: -input.amount,
        balanceAfter: moved.balance,
        reason: input.reason,
        idempotencyKey: `reservation:${claimed.id}`,
      },
    });
    logger.info({ ...log, reservationId: claimed.id, amount: input.amount, balance: moved.balance }, 'credits reserved');
    return { reservationId: claimed.id, status: 'HELD' as const, amount: input.amount, balance: moved.balance, expiresAt: claimed.expiresAt.toISOString() };
  });
}

export async function settleReservation(services: IdentityServices, input: z.infer<typeof settleInput>, call?: InternalCall): Promise<SettleResult> {
  const { db, logger } = services;
  return db.$transaction(async (tx) => {
    const reservation = await lockReservation(tx, input.id);
    const log = { userId: reservation.userId, reservationId: reservation.id, caller: call?.caller, requestId: call?.requestId };
    if (reservation.status === 'RELEASED') {
      throw new InternalError('RESERVATION_RELEASED', 'The reservation was already released; it cannot be settled.', 409);
    }
    if (reservation.status === 'SETTLED') {
      // A retried settle: the first one's charge stands.
      logger.debug(log, 'credit settlement replayed');
      return { reservationId: reservation.id, status: 'SETTLED' as const, charged: reservation.chargedAmount, balance: await balanceOf(tx, reservation.userId) };
    }
    if (input.amount > reservation.amount) {
      throw new InternalError(ErrorCode.BAD_USER_INPUT, 'Invalid internal request.', 400, {
        fields: { amount: [`must be at most the reserved ${reservation.amount}`] },
      });
    }
    const { balance } = await tx.creditWallet.update({
      where: { userId: reservation.userId },
      data: { balance: { increment: reservation.amount - input.amount }, lifetimeSpent: { increment: input.amount } },
      select: { balance: true },
    });
    await tx.creditLedgerEntry.create({
      data: {
        userId: reservation.userId,
        kind: 'RELEASE',
        amount: reservation.amount,
        balanceAfter: balance + input.amount,
        reason: input.reason,
        idempotencyKey: `release:${reservation.id}`,
      },
    });
    if (input.amount > 0) {
      await tx.creditLedgerEntry.create({
        data: { userId: reservation.userId, kind: 'DEBIT', amount: -input.amount, balanceAfter: balance, reason: input.reason, idempotencyKey: `debit:${reservation.id}` },
      });
    }
    await tx.creditReservation.update({
      where: { id: reservation.id },
      data: { status: 'SETTLED', chargedAmount: input.amount, settledAt: new Date() },
    });
    logger.info({ ...log, reserved: reservation.amount, charged: input.amount, balance }, 'credit reservation settled');
    return { reservationId: reservation.id, status: 'SETTLED' as const, charged: input.amount, balance };
  });
}

export async function releaseReservation(services: IdentityServices, input: z.infer<typeof releaseInput>, call?: InternalCall): Promise<ReleaseResult> {
  const { db, logger } = services;
  return db.$transaction(async (tx) => {
    const reservation = await lockReservation(tx, input.id);
    const log = { userId: reservation.userId, reservationId: reservation.id, caller: call?.caller, requestId: call?.requestId };
    if (reservation.status === 'SETTLED') {
      throw new InternalError('RESERVATION_SETTLED', 'The reservation was already settled; it cannot be released.', 409);
    }
    if (reservation.status === 'RELEASED') {
      logger.debug(log, 'credit release replayed');
      return { reservationId: reservation.id, status: 'RELEASED' as const, balance: await balanceOf(tx, reservation.userId) };
    }
    const balance = await releaseHeld(tx, reservation, input.reason);
    logger.info({ ...log, amount: reservation.amount, balance }, 'credit reservation released');
    return { reservationId: reservation.id, status: 'RELEASED' as const, balance };
  });
}

/** The user's plan (free without a live subscription): the ai service's per-plan rate limits. */
export async function entitlements(services: IdentityServices, userId: string): Promise<Entitlements> {
  if (!isUuid(userId)) throw notFound('User');
  const select = { code: true, name: true, ratePerMinute: true, ratePerHour: true, ratePerDay: true } as const;
  const user = await services.db.user.findFirst({
    where: { id: userId, deletedAt: null },
    select: { subscription: { select: { status: true, plan: { select } } } },
  });
  if (!user) throw notFound('User');
  const subscription = user.subscription;
  const plan =
    subscription && subscription.status !== 'CANCELED'
      ? subscription.plan
      : await services.db.subscriptionPlan.findUnique({ where: { code: FREE_PLAN }, select });
  if (!plan) throw new Error(`the "${FREE_PLAN}" plan is missing from subscription_plans`);
  return { userId, plan };
}

export interface CreditService {
  /** Releases every HELD reservation past its expiry; returns how many this call released. */
  releaseExpired(): Promise<number>;
  /** Starts the periodic sweep. */
  start(): void;
  /** Stops the sweep and waits for a running one; no work happens afterwards. */
  stop(): Promise<void>;
}

export function createCreditService(services: IdentityServices, options: { sweepMs: number }): CreditService {
  const { db, logger } = services;
  let closed = false;
  let timer: NodeJS.Timeout | null = null;
  let sweeping: Promise<unknown> | null = null;

  async function releaseExpired(): Promise<number> {
    let total = 0;
    while (!closed) {
      const released = await db.$transaction(async (tx) => {
        // SKIP LOCKED: replicas sweeping at once (or a settle in flight) each take other rows.
        const rows = await tx.$queryRaw<Array<Pick<ReservationRow, 'id' | 'userId' | 'amount'>>>`
          SELECT "id", "userId", "amount" FROM "credit_reservations"
          WHERE "status" = 'HELD' AND "expiresAt" <= now()
          ORDER BY "expiresAt" LIMIT ${SWEEP_BATCH}
          FOR UPDATE SKIP LOCKED`;
        // Wallets in one global order: two replicas' batches never wait on each other in a cycle.
        rows.sort((a, b) => (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0));
        const done: Array<{ id: string; userId: string; amount: number; balance: number }> = [];
        for (const row of rows) done.push({ ...row, balance: await releaseHeld(tx, row, EXPIRED_REASON) });
        return done;
      });
      for (const r of released) {
        logger.info({ userId: r.userId, reservationId: r.id, amount: r.amount, balance: r.balance }, 'expired credit reservation released');
      }
      total += released.length;
      if (released.length < SWEEP_BATCH) break;
    }
    return total;
  }

  const schedule = () => {
    if (closed) return;
    timer = setTimeout(() => {
      timer = null;
      sweeping = runInBackground(() => releaseExpired())
        .catch((error: unknown) => logger.warn({ err: error }, 'credit reservation sweep failed'))
        .finally(() => {
          sweeping = null;
          schedule();
        });
    }, options.sweepMs);
    timer.unref();
  };

  return {
    releaseExpired,
    start() {
      if (!timer && !sweeping) schedule();
    },
    async stop() {
      closed = true;
      if (timer) clearTimeout(timer);
      timer = null;
      await sweeping;
    },
  };
}

/** identity's `/internal` routes, open to the ai service only. */
export function creditRoutes(services: IdentityServices): InternalRoute[] {
  return [
    internalRoute({
      method: 'post',
      path: '/credits/reservations',
      callers: CREDIT_CALLERS,
      input: reserveInput,
      handle: (input, call) => reserveCredits(services, input, call),
    }),
    internalRoute({
      method: 'post',
      path: '/credits/reservations/:id/settle',
      callers: CREDIT_CALLERS,
      input: settleInput,
      handle: (input, call) => settleReservation(services, input, call),
    }),
    internalRoute({
      method: 'post',
      path: '/credits/reservations/:id/release',
      callers: CREDIT_CALLERS,
      input: releaseInput,
      handle: (input, call) => releaseReservation(services, input, call),
    }),
    internalRoute({
      method: 'get',
      path: '/users/:id/entitlements',
      callers: CREDIT_CALLERS,
      input: entitlementsInput,
      handle: (input) => entitlements(services, input.id),
    }),
  ];
}
