import { defineSaga, newEvent, publish, SagaOrchestrator, UserDataPurged, UserDeleted, type EventEnvelope, type HandlerHooks } from '@calos/events';
import { unauthenticated } from '@calos/kernel';
import type { IdentityServices } from './context.js';
import type { Prisma } from './generated/prisma/client.js';
import { dummyPasswordHash, verifyPassword } from './passwords.js';
import { newOpaqueToken, tokenHash } from './tokens.js';

/**
 * Account deletion (SPEC §3, §4): identity marks the account deleted and announces
 * `UserDeleted` in one transaction; every domain holding user data purges it and reports
 * `UserDataPurged`; a saga tracks completion per domain, re-announcing to domains that
 * have not reported, and completes when all have.
 */
export const ACCOUNT_DELETION_SAGA = 'account-deletion';
export const DOMAIN = 'identity';

type Tx = Prisma.TransactionClient;

export interface DeletionState {
  userId: string;
  announcedAt: string;
  completedAt?: string;
}

export async function deleteAccount(services: IdentityServices, userId: string, password: string): Promise<{ receipt: string }> {
  const user = await services.db.user.findFirst({ where: { id: userId, deletedAt: null } });
  const ok = await verifyPassword(user?.passwordHash ?? (await dummyPasswordHash()), password);
  if (!user || !ok) throw unauthenticated('The password is not correct.');
  const receipt = newOpaqueToken();
  const now = new Date();
  await services.db.$transaction(async (tx) => {
    await tx.user.update({ where: { id: userId }, data: { deletedAt: now } });
    // Every token of the account stops working now: no session can refresh, identity rejects its access tokens.
    await tx.session.updateMany({ where: { userId, revokedAt: null }, data: { revokedAt: now, revokedReason: 'account_deleted' } });
    await tx.accountDeletion.create({
      data: {
        userId,
        receiptHash: tokenHash(receipt),
        requestedAt: now,
        domains: { create: services.deletionDomains.map((domain) => ({ domain })) },
      },
    });
    await publish(tx, newEvent(UserDeleted, userId, { userId, deletedAt: now.toISOString() }));
    await SagaOrchestrator.create<DeletionState>(tx, {
      type: ACCOUNT_DELETION_SAGA,
      key: `${ACCOUNT_DELETION_SAGA}:${userId}`,
      state: { userId, announcedAt: now.toISOString() },
    });
  });
  services.events?.relay.wake();
  services.logger.info({ userId }, 'account deletion requested');
  return { receipt };
}

/** identity's own purge, as a subscriber of its own `UserDeleted` like every other domain. */
export async function purgeIdentityData(event: EventEnvelope, tx: Tx): Promise<void> {
  const { userId } = UserDeleted.schema.parse(event.data);
  const compact = userId.replace(/-/g, '');
  // Anonymise rather than delete: the ledger keeps its (now anonymous) financial history.
  // `~` cannot appear in a registered username, so the placeholder never collides.
  const users = await tx.user.updateMany({
    where: { id: userId },
    data: { username: `~del-${compact.slice(0, 24)}`, email: `deleted+${compact}@deleted.invalid`, displayName: 'Deleted user', passwordHash: '!', roles: [] },
  });
  const devices = await tx.device.deleteMany({ where: { userId } });
  const pairings = await tx.devicePairing.deleteMany({ where: { userId } });
  await publish(
    tx,
    newEvent(UserDataPurged, userId, { userId, domain: DOMAIN, purgedAt: new Date().toISOString(), rowsAffected: users.count + devices.count + pairings.count }),
  );
}

/** A domain reported its purge: record it; the saga notices on its next look. */
export function recordPurge(onRecorded: (userId: string) => void) {
  return async (event: EventEnvelope, tx: Tx, hooks: HandlerHooks): Promise<void> => {
    const { userId, domain, purgedAt, rowsAffected } = UserDataPurged.schema.parse(event.data);
    const updated = await tx.accountDeletionDomain.updateMany({
      where: { userId, domain, purgedAt: null },
      data: { purgedAt: new Date(purgedAt), rowsAffected },
    });
    if (updated.count > 0) hooks.afterCommit(() => onRecorded(userId));
  };
}

export function accountDeletionSaga(services: IdentityServices, reannounceAfterMs: number) {
  return defineSaga<DeletionState>({
    type: ACCOUNT_DELETION_SAGA,
    steps: [
      {
        name: 'await-purges',
        async run(state) {
          const pending = await services.db.accountDeletionDomain.count({ where: { userId: state.userId, purgedAt: null } });
          if (pending === 0) return { state };
          // A domain that has not reported may have been down or lost the event: announce again
          // (consumers are idempotent, purges too).
          if (Date.now() - Date.parse(state.announcedAt) >= reannounceAfterMs) {
            const now = new Date();
            await services.db.$transaction((tx) => publish(tx, newEvent(UserDeleted, state.userId, { userId: state.userId, deletedAt: now.toISOString() })));
            services.events?.relay.wake();
            return { wait: true, state: { ...state, announcedAt: now.toISOString() }, retryInMs: reannounceAfterMs };
          }
          return { wait: true, retryInMs: reannounceAfterMs };
        },
      },
      {
        name: 'complete',
        async run(state) {
          const completedAt = new Date();
          await services.db.accountDeletion.updateMany({ where: { userId: state.userId, completedAt: null }, data: { completedAt } });
          services.logger.info({ userId: state.userId }, 'account deletion complete in every domain');
          return { state: { ...state, completedAt: completedAt.toISOString() } };
        },
      },
    ],
  });
}

export interface DeletionStatus {
  userId: string;
  status: 'PENDING' | 'COMPLETE';
  requestedAt: Date;
  completedAt: Date | null;
  domains: Array<{ domain: string; purged: boolean; purgedAt: Date | null }>;
}

export async function deletionStatus(services: IdentityServices, where: { userId: string } | { receipt: string }): Promise<DeletionStatus | null> {
  const deletion = await services.db.accountDeletion.findUnique({
    where: 'userId' in where ? { userId: where.userId } : { receiptHash: tokenHash(where.receipt) },
    include: { domains: { orderBy: { domain: 'asc' } } },
  });
  if (!deletion) return null;
  return {
    userId: deletion.userId,
    status: deletion.completedAt ? 'COMPLETE' : 'PENDING',
    requestedAt: deletion.requestedAt,
    completedAt: deletion.completedAt,
    domains: deletion.domains.map((d) => ({ domain: d.domain, purged: d.purgedAt !== null, purgedAt: d.purgedAt })),
  };
}
