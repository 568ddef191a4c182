import { FamilyCreated, FamilyDeleted, FamilyMemberAdded, newEvent, publish } from '@calos/events';
import { parseInput } from '@calos/kernel';
import { authorize, lockFamily } from './access.js';
import type { FamilyServices } from './context.js';
import type { Family } from './generated/prisma/client.js';
import { createFamilyInput, updateFamilyInput } from './validation.js';

/** A new family with its creator as the first ADMIN. */
export async function createFamily(services: FamilyServices, userId: string, rawInput: unknown): Promise<Family> {
  const input = parseInput(createFamilyInput, rawInput);
  const family = await services.db.$transaction(async (tx) => {
    const created = await tx.family.create({ data: { name: input.name, createdBy: userId, members: { create: { userId, role: 'ADMIN' } } } });
    await publish(tx, newEvent(FamilyCreated, created.id, { familyId: created.id, name: created.name, createdBy: userId }));
    await publish(tx, newEvent(FamilyMemberAdded, created.id, { familyId: created.id, userId, role: 'ADMIN' }));
    return created;
  });
  services.events.relay.wake();
  return family;
}

export async function updateFamily(services: FamilyServices, userId: string, id: string, rawInput: unknown): Promise<Family> {
  const input = parseInput(updateFamilyInput, rawInput);
  return services.db.$transaction(async (tx) => {
    await authorize(tx, id, userId, 'manageFamily');
    return tx.family.update({ where: { id }, data: input.name !== undefined ? { name: input.name } : {} });
  });
}

/** Deletes a family and everything in it (lists, items, calendar, invitations). */
export async function deleteFamily(services: FamilyServices, userId: string, id: string): Promise<string> {
  await services.db.$transaction(async (tx) => {
    await lockFamily(tx, id);
    await authorize(tx, id, userId, 'manageFamily');
    await tx.family.delete({ where: { id } });
    await publish(tx, newEvent(FamilyDeleted, id, { familyId: id }));
  });
  services.events.relay.wake();
  return id;
}
