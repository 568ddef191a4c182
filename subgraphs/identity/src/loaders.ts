import { firstByKey, groupByKey } from '@calos/service';
import DataLoader from 'dataloader';
import type { PrismaClient, User, Device, Session, CreditWallet, Subscription, SubscriptionPlan } from './generated/prisma/client.js';

/** Per-request loaders: N references or N parents cost one SQL statement per kind. */
export function createLoaders(db: PrismaClient) {
  return {
    /** Live (not deleted) users by id. */
    user: new DataLoader<string, User | null>(async (ids) =>
      firstByKey(await db.user.findMany({ where: { id: { in: [...ids] }, deletedAt: null } }), (r) => r.id, ids),
    ),
    device: new DataLoader<string, Device | null>(async (ids) =>
      firstByKey(await db.device.findMany({ where: { id: { in: [...ids] } } }), (r) => r.id, ids),
    ),
    session: new DataLoader<string, Session | null>(async (ids) =>
      firstByKey(await db.session.findMany({ where: { id: { in: [...ids] } } }), (r) => r.id, ids),
    ),
    devicesByUser: new DataLoader<string, Device[]>(async (userIds) =>
      groupByKey(await db.device.findMany({ where: { userId: { in: [...userIds] } }, orderBy: { lastSeenAt: 'desc' } }), (r) => r.userId, userIds),
    ),
    activeSessionsByUser: new DataLoader<string, Session[]>(async (userIds) =>
      groupByKey(
        await db.session.findMany({
          where: { userId: { in: [...userIds] }, revokedAt: null, expiresAt: { gt: new Date() } },
          orderBy: { lastUsedAt: 'desc' },
        }),
        (r) => r.userId,
        userIds,
      ),
    ),
    activeSessionsByDevice: new DataLoader<string, Session[]>(async (deviceIds) =>
      groupByKey(
        await db.session.findMany({
          where: { deviceId: { in: [...deviceIds] }, revokedAt: null, expiresAt: { gt: new Date() } },
          orderBy: { lastUsedAt: 'desc' },
        }),
        (r) => r.deviceId,
        deviceIds,
      ),
    ),
    wallet: new DataLoader<string, CreditWallet | null>(async (userIds) =>
      firstByKey(await db.creditWallet.findMany({ where: { userId: { in: [...userIds] } } }), (r) => r.userId, userIds),
    ),
    subscription: new DataLoader<string, Subscription | null>(async (userIds) =>
      firstByKey(await db.subscription.findMany({ where: { userId: { in: [...userIds] } } }), (r) => r.userId, userIds),
    ),
    plan: new DataLoader<string, SubscriptionPlan | null>(async (codes) =>
      firstByKey(await db.subscriptionPlan.findMany({ where: { code: { in: [...codes] } } }), (r) => r.code, codes),
    ),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
