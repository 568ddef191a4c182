import { FamilyMemberRemoved, FamilyMemberRoleChanged, newEvent, publish } from '@calos/events';
import { badUserInput, isUuid, notFound, parseInput } from '@calos/kernel';
import { lastAdmin, lockFamily, membershipOf, requirePermission } from './access.js';
import type { FamilyServices } from './context.js';
import type { FamilyMember, Prisma } from './generated/prisma/client.js';
import { familyRoleInput } from './validation.js';

type Tx = Prisma.TransactionClient;

const LAST_ADMIN = 'is the last ADMIN of this family: make another member ADMIN first, or delete the family';

/**
 * Takes a user out of a family, off its todo items and its events' attendees, and tells
 * the other domains. The caller holds the family lock. Returns the rows changed.
 */
export async function detachMember(tx: Tx, familyId: string, userId: string): Promise<number> {
  await tx.familyMember.delete({ where: { familyId_userId: { familyId, userId } } });
  const items = await tx.todoItem.updateMany({ where: { assignedTo: userId, list: { familyId } }, data: { assignedTo: null } });
  const events = await tx.$executeRaw`
    UPDATE "family_events" SET "attendeeIds" = array_remove("attendeeIds", ${userId}::uuid), "updatedAt" = CURRENT_TIMESTAMP
    WHERE "familyId" = ${familyId}::uuid AND ${userId}::uuid = ANY("attendeeIds")`;
  await publish(tx, newEvent(FamilyMemberRemoved, familyId, { familyId, userId }));
  return 1 + items.count + events;
}

/**
 * Removes a member: an ADMIN may remove anyone, every member may remove themself (leave).
 * The last ADMIN can do neither: a family always keeps one.
 */
export async function removeFamilyMember(services: FamilyServices, viewerId: string, familyId: string, userId: string): Promise<boolean> {
  await services.db.$transaction(async (tx) => {
    await lockFamily(tx, familyId);
    const viewer = await membershipOf(tx, familyId, viewerId);
    if (userId !== viewerId) requirePermission(viewer, 'manageMembers');
    const members = await tx.familyMember.findMany({ where: { familyId } });
    if (!isUuid(userId) || !members.some((m) => m.userId === userId)) throw notFound('Family member');
    if (lastAdmin(members, userId)) throw badUserInput({ userId: [LAST_ADMIN] });
    await detachMember(tx, familyId, userId);
  });
  services.events.relay.wake();
  return true;
}

/** ADMINs change roles; demoting the last ADMIN is refused. The same role again changes nothing. */
export async function changeMemberRole(
  services: FamilyServices,
  viewerId: string,
  familyId: string,
  userId: string,
  rawRole: unknown,
): Promise<FamilyMember> {
  const role = parseInput(familyRoleInput, rawRole, 'role');
  const member = await services.db.$transaction(async (tx) => {
    await lockFamily(tx, familyId);
    requirePermission(await membershipOf(tx, familyId, viewerId), 'manageMembers');
    const members = await tx.familyMember.findMany({ where: { familyId } });
    const target = isUuid(userId) ? members.find((m) => m.userId === userId) : undefined;
    if (!target) throw notFound('Family member');
    if (target.role === role) return target;
    if (lastAdmin(members, userId)) throw badUserInput({ role: [`cannot change: the member ${LAST_ADMIN}`] });
    const updated = await tx.familyMember.update({ where: { familyId_userId: { familyId, userId } }, data: { role } });
    await publish(tx, newEvent(FamilyMemberRoleChanged, familyId, { familyId, userId, role }));
    return updated;
  });
  services.events.relay.wake();
  return member;
}
