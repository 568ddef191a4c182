import { isUuid, notFound, parseInput } from '@calos/kernel';
import type { HollowtownServices } from './context.js';
import type { HauntedHousePlan, Prisma } from './generated/prisma/client.js';
import { createPlanInput, updatePlanInput } from './validation.js';

/** Haunted-house plans are private: another user's plan does not exist for you (NOT_FOUND). */
async function ownPlan(services: HollowtownServices, id: string, ownerId: string): Promise<HauntedHousePlan> {
  const plan = isUuid(id) ? await services.db.hauntedHousePlan.findUnique({ where: { id } }) : null;
  if (!plan || plan.ownerId !== ownerId) throw notFound('Haunted-house plan');
  return plan;
}

export async function createHauntedHousePlan(services: HollowtownServices, ownerId: string, rawInput: unknown): Promise<HauntedHousePlan> {
  const input = parseInput(createPlanInput, rawInput);
  return services.db.hauntedHousePlan.create({
    data: {
      ownerId,
      roomName: input.roomName,
      scareLevel: input.scareLevel,
      propsNeeded: input.propsNeeded ?? [],
      setupInstructions: input.setupInstructions ?? [],
    },
  });
}

export async function updateHauntedHousePlan(services: HollowtownServices, id: string, ownerId: string, rawInput: unknown): Promise<HauntedHousePlan> {
  const input = parseInput(updatePlanInput, rawInput);
  await ownPlan(services, id, ownerId);
  const data: Prisma.HauntedHousePlanUpdateInput = {};
  if (input.roomName !== undefined) data.roomName = input.roomName;
  if (input.scareLevel !== undefined) data.scareLevel = input.scareLevel;
  if (input.propsNeeded !== undefined) data.propsNeeded = input.propsNeeded;
  if (input.setupInstructions !== undefined) data.setupInstructions = input.setupInstructions;
  return services.db.hauntedHousePlan.update({ where: { id }, data });
}

export async function deleteHauntedHousePlan(services: HollowtownServices, id: string, ownerId: string): Promise<string> {
  const { count } = isUuid(id) ? await services.db.hauntedHousePlan.deleteMany({ where: { id, ownerId } }) : { count: 0 };
  if (count === 0) throw notFound('Haunted-house plan');
  return id;
}
