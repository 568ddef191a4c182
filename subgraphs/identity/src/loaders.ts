import DataLoader from 'dataloader';
import type { PrismaClient, User, Device, Session, CreditWallet, Subscription, SubscriptionPlan } from './generated/prisma/client.js';

/** Groups rows by a key in the order DataLoader asked for them. */
function byKey<T, K extends keyof T>(rows: T[], key: K, ids: readonly T[K][]): T[][] {
  const groups = new Map<T[K], T[]>();
  for (const row of rows) {
    const list = groups.get(row[key]);
    if (list) list.push(row);
    else groups.set(row[key], [row]);
  }
  return ids.map((id) => groups.get(id) ?? []);
}

function oneByKey<T, K extends keyof T>(rows: T[], key: K, ids: readonly T[K][]): (T | null)[] {
  const map = new Map(rows.map((r) => [r[key], r]));
  return ids.map((id) => map.get(id) ?? null);
}

/** Per-request loaders: N references or N parents cost one SQL statement per kind. */
export function createLoaders(db: PrismaClient) {
  return {
    /** Live (not deleted) users by id. */
    user: new DataLoader<string, User | null>(async (ids) =>
      oneByKey(await db.user.findMany({ where: { id: { in: [...ids] }, deletedAt: null } }), 'id', ids),
    ),
    device: new DataLoader<string, Device | null>(async (ids) =>
      oneByKey(await db.device.findMany({ where: { id: { in: [...ids] } } }), 'id', ids),
    ),
    session: new DataLoader<string, Session | null>(async (ids) =>
      oneByKey(await db.session.findMany({ where: { id: { in: [...ids] } } }), 'id', ids),
    ),
    devicesByUser: new DataLoader<string, Device[]>(async (userIds) =>
      byKey(await db.device.findMany({ where: { userId: { in: [...userIds] } }, orderBy: { lastSeenAt: 'desc' } }), 'userId', userIds),
    ),
    activeSessionsByUser: new DataLoader<string, Session[]>(async (userIds) =>
      byKey(
        await db.session.findMany({
          where: { userId: { in: [...userIds] }, revokedAt: null, expiresAt: { gt: new Date() } },
          orderBy: { lastUsedAt: 'desc' },
        }),
        'userId',
        userIds,
      ),
    ),
    activeSessionsByDevice: new DataLoader<string, Session[]>(async (deviceIds) =>
      byKey(
        await db.session.findMany({
          where: { deviceId: { in: [...deviceIds] }, revokedAt: null, expiresAt: { gt: new Date() } },
          orderBy: { lastUsedAt: 'desc' },
        }),
        'deviceId',
        deviceIds,
      ),
    ),
    wallet: new DataLoader<string, CreditWallet | null>(async (userIds) =>
      oneByKey(await db.creditWallet.findMany({ where: { userId: { in: [...userIds] } } }), 'userId', userIds),
    ),
    subscription: new DataLoader<string, Subscription | null>(async (userIds) =>
      oneByKey(await db.subscription.findMany({ where: { userId: { in: [...userIds] } } }), 'userId', userIds),
    ),
    plan: new DataLoader<string, SubscriptionPlan | null>(async (codes) =>
      oneByKey(await db.subscriptionPlan.findMany({ where: { code: { in: [...codes] } } }), 'code', codes),
    ),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
