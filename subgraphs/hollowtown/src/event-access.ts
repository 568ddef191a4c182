import { forbidden, isUuid, notFound } from '@calos/kernel';
import { isFamilyMember } from './family-read-model.js';
import type { HalloweenEvent, Prisma } from './generated/prisma/client.js';

type Tx = Prisma.TransactionClient;

/**
 * Who may do what with a Halloween event:
 *   - its host: everything;
 *   - members of its family (any role): read it, add recipes and expenses;
 *   - anyone else: nothing — the event does not exist for them (NOT_FOUND).
 */
export type EventRole = 'HOST' | 'FAMILY';

export async function roleOn(
  event: Pick<HalloweenEvent, 'hostId' | 'familyId'>,
  userId: string | null | undefined,
  isMember: (familyId: string) => Promise<boolean>,
): Promise<EventRole | null> {
  if (!userId) return null;
  if (event.hostId === userId) return 'HOST';
  if (event.familyId && (await isMember(event.familyId))) return 'FAMILY';
  return null;
}

/**
 * The event, locked for the rest of the transaction (so its domain events get consecutive
 * versions), with the viewer's role on it. NOT_FOUND unless the viewer may see it;
 * FORBIDDEN when `hostOnly` and the viewer is a family member.
 */
export async function lockEvent(tx: Tx, id: string, userId: string, { hostOnly = false } = {}): Promise<{ event: HalloweenEvent; role: EventRole }> {
  const rows = isUuid(id) ? await tx.$queryRaw<HalloweenEvent[]>`SELECT * FROM "halloween_events" WHERE "id" = ${id}::uuid FOR UPDATE` : [];
  const event = rows[0];
  const role = event ? await roleOn(event, userId, (familyId) => isFamilyMember(tx, familyId, userId)) : null;
  if (!event || !role) throw notFound('Event');
  if (hostOnly && role !== 'HOST') throw forbidden('Only the host can change this event.');
  return { event, role };
}

/** For resolvers: the event if the viewer may see it, else null (through `_entities` too). */
export async function readable(
  event: HalloweenEvent | null,
  viewerId: string | null | undefined,
  viewerInFamily: { load(familyId: string): Promise<boolean> },
): Promise<HalloweenEvent | null> {
  if (!event) return null;
  return (await roleOn(event, viewerId, (familyId) => viewerInFamily.load(familyId))) ? event : null;
}
