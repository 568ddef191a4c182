import { FamilyDeleted, FamilyMemberAdded, FamilyMemberRemoved, FamilyMemberRoleChanged, type EventEnvelope } from '@calos/events';
import type { Prisma } from './generated/prisma/client.js';

type Tx = Prisma.TransactionClient;

/**
 * Keeps `family_memberships` in step with the family domain: who may see the plans and
 * lists shared with a family. A removed member loses access the moment this applies.
 */
export const familyEventHandlers = {
  [FamilyMemberAdded.type]: async (event: EventEnvelope, tx: Tx) => {
    const { familyId, userId, role } = FamilyMemberAdded.schema.parse(event.data);
    await tx.familyMembership.upsert({
      where: { familyId_userId: { familyId, userId } },
      create: { familyId, userId, role, joinedAt: new Date(event.occurredAt) },
      update: { role },
    });
  },
  [FamilyMemberRoleChanged.type]: async (event: EventEnvelope, tx: Tx) => {
    const { familyId, userId, role } = FamilyMemberRoleChanged.schema.parse(event.data);
    await tx.familyMembership.updateMany({ where: { familyId, userId }, data: { role } });
  },
  [FamilyMemberRemoved.type]: async (event: EventEnvelope, tx: Tx) => {
    const { familyId, userId } = FamilyMemberRemoved.schema.parse(event.data);
    await tx.familyMembership.deleteMany({ where: { familyId, userId } });
  },
  [FamilyDeleted.type]: async (event: EventEnvelope, tx: Tx) => {
    const { familyId } = FamilyDeleted.schema.parse(event.data);
    await tx.familyMembership.deleteMany({ where: { familyId } });
    // What was shared with the family stays with its owner.
    await tx.shoppingList.updateMany({ where: { familyId }, data: { familyId: null } });
    await tx.mealPlan.updateMany({ where: { familyId }, data: { familyId: null } });
  },
};
