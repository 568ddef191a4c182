import { parseInput } from '@calos/kernel';
import { z } from 'zod';
import { requirePermission } from './access.js';
import type { FamilyServices } from './context.js';
import type { FamilyMember, TodoItem, TodoList } from './generated/prisma/client.js';
import { listFor } from './todos.js';
import { priority, suggestTodoItemsInput } from './validation.js';

const DAY = 24 * 60 * 60 * 1000;
const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
/** Enough for the model not to repeat the list, small enough for a small model's context. */
const MAX_OPEN_ITEMS = 100;

/** Titles that differ only in case or spacing are the same item. */
const sameTitle = (title: string) => title.trim().replace(/\s+/g, ' ').toLowerCase();
const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim();
/** Problems go back to the model for the repair and must stay short. */
const quoted = (title: string) => JSON.stringify(title.length > 60 ? `${title.slice(0, 60)}…` : title);

/**
 * What the model must answer, built per request: at most `count` items, none repeating
 * another or an open item of the list (invalid output, so the model gets one repair).
 */
export function suggestedItemsSchema(count: number, openTitles: readonly string[]) {
  const open = new Set(openTitles.map(sameTitle));
  const item = z.object({
    title: z.string().trim().min(1).max(200),
    description: z.string().trim().max(2000).optional(),
    priority,
    dueInDays: z.number().int().min(0).max(365).optional().describe('days from today until it is due'),
  });
  return z.object({
    items: z
      .array(item)
      .min(1)
      .max(count)
      .superRefine((items, ctx) => {
        const seen = new Set<string>();
        items.forEach((i, index) => {
          const key = sameTitle(i.title);
          if (open.has(key)) ctx.addIssue({ code: 'custom', path: [index, 'title'], message: `${quoted(i.title)} is already on the list` });
          else if (seen.has(key)) ctx.addIssue({ code: 'custom', path: [index, 'title'], message: `${quoted(i.title)} is suggested twice` });
          seen.add(key);
        });
      }),
  });
}

const SYSTEM = [
  'You help a family organise its todo lists. Suggest new, concrete, doable items for the list described.',
  'Do not repeat items already on the list. Titles are short (at most 200 characters); add a description only when it helps.',
  'Priority is LOW, MEDIUM, HIGH or URGENT; dueInDays (0 = today) only when the item has a natural deadline.',
].join(' ');

/** Only roles describe the family: names, emails and ids stay out of the prompt. */
function itemsPrompt(list: TodoList, member: FamilyMember, members: Pick<FamilyMember, 'role'>[], open: TodoItem[], count: number, request: string | null | undefined) {
  const roles = (['ADMIN', 'PARENT', 'CHILD'] as const)
    .map((role) => [role, members.filter((m) => m.role === role).length] as const)
    .filter(([, n]) => n > 0)
    .map(([role, n]) => `${n} ${role}`);
  const today = new Date();
  const openLines = open.map((i) => {
    const details = [i.priority, i.status === 'IN_PROGRESS' ? 'in progress' : null, i.dueDate ? `due ${i.dueDate.toISOString().slice(0, 10)}` : null];
    return `- ${oneLine(i.title)} (${details.filter(Boolean).join(', ')})`;
  });
  return [
    `Today is ${WEEKDAYS[today.getUTCDay()]} ${today.toISOString().slice(0, 10)}.`,
    `List: "${oneLine(list.name)}" (type ${list.type}).`,
    `Family members by role: ${roles.join(', ')}. The person asking is a ${member.role}.`,
    openLines.length ? 'Open items already on the list (do not repeat them):' : 'The list has no open items.',
    ...openLines,
    `Request: ${request || 'Suggest useful next items for this list.'}`,
    `Suggest at most ${count} item(s).`,
  ].join('\n');
}

/**
 * suggestTodoItems: the ai service suggests items for a list (metered); they are validated
 * and saved as ordinary items of the list, unassigned, in the order suggested.
 */
export async function suggestTodoItems(services: FamilyServices, userId: string, rawInput: unknown): Promise<TodoItem[]> {
  const input = parseInput(suggestTodoItemsInput, rawInput);
  const { db } = services;
  // Access first: outsiders and the disallowed are refused before anything is asked or charged.
  const { list, member } = await listFor(db, input.listId, userId);
  requirePermission(member, 'suggestItems');
  const [members, open] = await Promise.all([
    db.familyMember.findMany({ where: { familyId: list.familyId }, select: { role: true } }),
    db.todoItem.findMany({
      where: { listId: list.id, status: { in: ['TODO', 'IN_PROGRESS'] } },
      orderBy: [{ status: 'asc' }, { dueDate: { sort: 'asc', nulls: 'last' } }, { createdAt: 'asc' }, { id: 'asc' }],
      take: MAX_OPEN_ITEMS,
    }),
  ]);
  return services.ai.generate({
    userId,
    feature: 'suggestTodoItems',
    schema: suggestedItemsSchema(
      input.count,
      open.map((i) => i.title),
    ),
    system: SYSTEM,
    prompt: itemsPrompt(list, member, members, open, input.count, input.prompt),
    model: input.model,
    idempotencyKey: input.idempotencyKey,
    findExisting: async (aiGenerationId) => {
      const items = await db.todoItem.findMany({
        where: { aiGenerationId, list: { family: { members: { some: { userId } } } } },
        orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      });
      return items.length ? items : null;
    },
    persist: (output, aiGenerationId) =>
      db.$transaction(async (tx) => {
        // Checked again as createTodoItem does: the member may have left while the model worked.
        requirePermission((await listFor(tx, list.id, userId)).member, 'suggestItems');
        const now = Date.now();
        const created = await tx.todoItem.createManyAndReturn({
          data: output.items.map((item, index) => ({
            listId: list.id,
            title: item.title,
            description: item.description || null,
            priority: item.priority,
            dueDate: item.dueInDays === undefined ? null : new Date(now + item.dueInDays * DAY),
            aiGenerationId,
            // A millisecond apart: the list shows them (oldest first) in the order suggested.
            createdAt: new Date(now + index),
          })),
        });
        return created.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
      }),
  });
}
