import { badUserInput, isUuid, notFound, parseInput } from '@calos/kernel';
import { authorize, membershipOf, requireMembers, requirePermission } from './access.js';
import type { FamilyServices } from './context.js';
import type { FamilyEvent, Prisma } from './generated/prisma/client.js';
import { createFamilyEventInput, updateFamilyEventInput, type CalendarRange } from './validation.js';

/**
 * Whether an event overlaps the half-open range [from, to): it starts before `to` and ends
 * after `from`; an instant (start = end) counts when it lies inside the range.
 */
export function overlaps(event: Pick<FamilyEvent, 'startTime' | 'endTime'>, range: CalendarRange): boolean {
  return event.startTime < range.to && (event.endTime > range.from || event.startTime >= range.from);
}

/** The same condition for a query over several ranges at once: the union of their bounds. */
export function overlapsWhere(ranges: readonly CalendarRange[]): Prisma.FamilyEventWhereInput {
  const from = new Date(Math.min(...ranges.map((r) => r.from.getTime())));
  const to = new Date(Math.max(...ranges.map((r) => r.to.getTime())));
  return { startTime: { lt: to }, OR: [{ endTime: { gt: from } }, { startTime: { gte: from } }] };
}

export async function createFamilyEvent(services: FamilyServices, userId: string, familyId: string, rawInput: unknown): Promise<FamilyEvent> {
  const input = parseInput(createFamilyEventInput, rawInput);
  return services.db.$transaction(async (tx) => {
    await authorize(tx, familyId, userId, 'manageCalendar');
    await requireMembers(tx, familyId, input.attendeeIds ?? [], 'input.attendeeIds');
    return tx.familyEvent.create({
      data: {
        familyId,
        name: input.name,
        type: input.type ?? 'OTHER',
        startTime: input.startTime,
        endTime: input.endTime,
        location: input.location || null,
        attendeeIds: input.attendeeIds ?? [],
        reminders: input.reminders ?? [],
      },
    });
  });
}

async function eventFor(tx: Prisma.TransactionClient, id: string, userId: string): Promise<FamilyEvent> {
  const event = isUuid(id) ? await tx.familyEvent.findUnique({ where: { id } }) : null;
  if (!event) throw notFound('Family event');
  requirePermission(await membershipOf(tx, event.familyId, userId, 'Family event'), 'manageCalendar');
  return event;
}

export async function updateFamilyEvent(services: FamilyServices, userId: string, id: string, rawInput: unknown): Promise<FamilyEvent> {
  const input = parseInput(updateFamilyEventInput, rawInput);
  return services.db.$transaction(async (tx) => {
    const event = await eventFor(tx, id, userId);
    const startTime = input.startTime ?? event.startTime;
    const endTime = input.endTime ?? event.endTime;
    if (endTime < startTime) {
      throw badUserInput({ [input.endTime ? 'input.endTime' : 'input.startTime']: [input.endTime ? 'must not be before startTime' : 'must not be after endTime'] });
    }
    if (input.attendeeIds) await requireMembers(tx, event.familyId, input.attendeeIds, 'input.attendeeIds');
    return tx.familyEvent.update({
      where: { id },
      data: {
        ...(input.name !== undefined ? { name: input.name } : {}),
        ...(input.type !== undefined ? { type: input.type } : {}),
        startTime,
        endTime,
        ...(input.location !== undefined ? { location: input.location || null } : {}),
        ...(input.attendeeIds !== undefined ? { attendeeIds: input.attendeeIds } : {}),
        ...(input.reminders !== undefined ? { reminders: input.reminders } : {}),
      },
    });
  });
}

export async function deleteFamilyEvent(services: FamilyServices, userId: string, id: string): Promise<string> {
  await services.db.$transaction(async (tx) => {
    await eventFor(tx, id, userId);
    await tx.familyEvent.delete({ where: { id } });
  });
  return id;
}
