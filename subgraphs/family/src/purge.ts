import { FamilyDeleted, FamilyMemberRoleChanged, newEvent, publish, UserDataPurged, UserDeleted, type EventEnvelope } from '@calos/events';
import { lockFamily } from './access.js';
import type { Prisma } from './generated/prisma/client.js';
import { detachMember } from './membership.js';

export const DOMAIN = 'family';

type Tx = Prisma.TransactionClient;

/**
 * A deleted user leaves one family. If they were its last ADMIN, the longest-standing other
 * member becomes ADMIN (a family always keeps one); a family left without members is deleted.
 */
async function leaveFamily(tx: Tx, familyId: string, userId: string): Promise<number> {
  await lockFamily(tx, familyId);
  const members = await tx.familyMember.findMany({ where: { familyId }, orderBy: [{ joinedAt: 'asc' }, { userId: 'asc' }] });
  const leaving = members.find((m) => m.userId === userId);
  if (!leaving) return 0;
  const others = members.filter((m) => m.userId !== userId);
  let rows = await detachMember(tx, familyId, userId);
  const heir = others[0];
  if (!heir) {
    await tx.family.delete({ where: { id: familyId } });
    await publish(tx, newEvent(FamilyDeleted, familyId, { familyId }));
    return rows + 1;
  }
  if (leaving.role === 'ADMIN' && !others.some((m) => m.role === 'ADMIN')) {
    await tx.familyMember.update({ where: { familyId_userId: { familyId, userId: heir.userId } }, data: { role: 'ADMIN' } });
    await publish(tx, newEvent(FamilyMemberRoleChanged, familyId, { familyId, userId: heir.userId, role: 'ADMIN' }));
    rows += 1;
  }
  return rows;
}

/**
 * Account deletion: the user leaves every family (off its items and events), and the
 * references to them that remain (who created a family, sent an invitation or completed an
 * item) are anonymised. Reports UserDataPurged in the same transaction.
 */
export async function purgeUserData(event: EventEnvelope, tx: Tx): Promise<void> {
  const { userId } = UserDeleted.schema.parse(event.data);
  let rows = 0;
  // In id order, so two purges touching the same families lock them in the same order.
  const memberships = await tx.familyMember.findMany({ where: { userId }, select: { familyId: true }, orderBy: { familyId: 'asc' } });
  for (const { familyId } of memberships) rows += await leaveFamily(tx, familyId, userId);
  rows += (await tx.todoItem.updateMany({ where: { assignedTo: userId }, data: { assignedTo: null } })).count;
  rows += (await tx.todoItem.updateMany({ where: { completedBy: userId }, data: { completedBy: null } })).count;
  rows += (await tx.family.updateMany({ where: { createdBy: userId }, data: { createdBy: null } })).count;
  rows += (await tx.familyInvitation.updateMany({ where: { invitedBy: userId }, data: { invitedBy: null } })).count;
  await publish(tx, newEvent(UserDataPurged, userId, { userId, domain: DOMAIN, purgedAt: new Date().toISOString(), rowsAffected: rows }));
}
