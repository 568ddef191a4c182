import { awaitReadModel } from '@calos/kernel';
import { FamilyDeleted, FamilyMemberAdded, FamilyMemberRemoved, type EventEnvelope } from '@calos/events';
import type { Prisma, PrismaClient } from './generated/prisma/client.js';

type Tx = Prisma.TransactionClient;

/**
 * Keeps `family_members` in step with the family domain: who may see and add to the events
 * shared with a family. Events of one family carry increasing versions; a row remembers the
 * version that last changed it, so an older event redelivered late never brings back a member
 * who has since left (a removal stays as an inactive row for exactly that reason).
 */
async function setMembership(tx: Tx, event: EventEnvelope, familyId: string, userId: string, active: boolean): Promise<void> {
  await tx.$executeRaw`
    INSERT INTO "family_members" ("familyId", "userId", "active", "version", "updatedAt")
    VALUES (${familyId}::uuid, ${userId}::uuid, ${active}, ${event.version}, ${new Date(event.occurredAt)})
    ON CONFLICT ("familyId", "userId") DO UPDATE SET
      "active" = EXCLUDED."active", "version" = EXCLUDED."version", "updatedAt" = EXCLUDED."updatedAt"
    WHERE "family_members"."version" < EXCLUDED."version"`;
}

export const familyEventHandlers = {
  [FamilyMemberAdded.type]: async (event: EventEnvelope, tx: Tx) => {
    const { familyId, userId } = FamilyMemberAdded.schema.parse(event.data);
    await setMembership(tx, event, familyId, userId, true);
  },
  [FamilyMemberRemoved.type]: async (event: EventEnvelope, tx: Tx) => {
    const { familyId, userId } = FamilyMemberRemoved.schema.parse(event.data);
    await setMembership(tx, event, familyId, userId, false);
  },
  [FamilyDeleted.type]: async (event: EventEnvelope, tx: Tx) => {
    const { familyId } = FamilyDeleted.schema.parse(event.data);
    // The events stay with their hosts; nobody else sees them through this family any more.
    await tx.familyMember.updateMany({
      where: { familyId, version: { lt: event.version } },
      data: { active: false, version: event.version, updatedAt: new Date(event.occurredAt) },
    });
  },
};

/** Whether the user currently belongs to the family (as far as this read model knows). */
export async function isFamilyMember(db: PrismaClient | Tx, familyId: string, userId: string): Promise<boolean> {
  return (await db.familyMember.count({ where: { familyId, userId, active: true } })) > 0;
}

/**
 * Whether the user belongs to the family. The read model follows the family domain within
 * milliseconds; a membership made a moment ago is waited for briefly, so a client can create
 * a family and plan an event for it right away.
 */
export async function awaitFamilyMembership(db: PrismaClient, familyId: string, userId: string): Promise<boolean> {
  return (await awaitReadModel(() => isFamilyMember(db, familyId, userId))) === true;
}
