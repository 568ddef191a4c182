import { isUuid, notFound, parseInput } from '@calos/kernel';
import type { MealplansServices } from './context.js';
import type { PantryItem } from './generated/prisma/client.js';
import { pantryItemInput, updatePantryItemInput, withinDaysInput } from './validation.js';

const DAY = 24 * 60 * 60 * 1000;
const today = () => new Date(`${new Date().toISOString().slice(0, 10)}T00:00:00.000Z`);

export const expiresInDays = (item: Pick<PantryItem, 'expirationDate'>) =>
  item.expirationDate ? Math.round((item.expirationDate.getTime() - today().getTime()) / DAY) : null;

export async function addPantryItem(services: MealplansServices, ownerId: string, rawInput: unknown): Promise<PantryItem> {
  const input = parseInput(pantryItemInput, rawInput);
  return services.db.pantryItem.create({
    data: {
      ownerId,
      name: input.name,
      quantity: input.quantity,
      unit: input.unit,
      category: input.category ?? null,
      expirationDate: input.expirationDate ?? null,
      location: input.location ?? 'PANTRY',
    },
  });
}

async function ownItem(services: MealplansServices, ownerId: string, id: string): Promise<PantryItem> {
  const item = isUuid(id) ? await services.db.pantryItem.findUnique({ where: { id } }) : null;
  if (!item || item.ownerId !== ownerId) throw notFound('Pantry item');
  return item;
}

export async function updatePantryItem(services: MealplansServices, ownerId: string, id: string, rawInput: unknown): Promise<PantryItem> {
  const input = parseInput(updatePantryItemInput, rawInput);
  await ownItem(services, ownerId, id);
  return services.db.pantryItem.update({
    where: { id },
    data: {
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(input.quantity !== undefined ? { quantity: input.quantity } : {}),
      ...(input.unit !== undefined ? { unit: input.unit } : {}),
      ...(input.category !== undefined ? { category: input.category ?? null } : {}),
      ...(input.expirationDate !== undefined ? { expirationDate: input.expirationDate ?? null } : {}),
      ...(input.location ? { location: input.location } : {}),
    },
  });
}

export async function removePantryItem(services: MealplansServices, ownerId: string, id: string): Promise<boolean> {
  await ownItem(services, ownerId, id);
  await services.db.pantryItem.delete({ where: { id } });
  return true;
}

export async function expiringPantryItems(services: MealplansServices, ownerId: string, rawDays: number): Promise<PantryItem[]> {
  const days = parseInput(withinDaysInput, rawDays, 'withinDays');
  return services.db.pantryItem.findMany({
    where: { ownerId, expirationDate: { not: null, lte: new Date(today().getTime() + days * DAY) } },
    orderBy: [{ expirationDate: 'asc' }, { name: 'asc' }],
  });
}
