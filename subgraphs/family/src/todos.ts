import { isUuid, notFound, parseInput } from '@calos/kernel';
import { authorize, requireMembers, requirePermission } from './access.js';
import type { FamilyServices } from './context.js';
import type { FamilyMember, Prisma, TodoItem, TodoList } from './generated/prisma/client.js';
import { createTodoItemInput, createTodoListInput, updateTodoItemInput, updateTodoListInput, uuidArg } from './validation.js';

type Tx = Prisma.TransactionClient;

/** A list and the viewer's membership of its family; NOT_FOUND for anyone outside the family. */
export async function listFor(tx: Tx, listId: string, userId: string): Promise<{ list: TodoList; member: FamilyMember }> {
  const list = isUuid(listId) ? await tx.todoList.findUnique({ where: { id: listId } }) : null;
  const member = list ? await tx.familyMember.findUnique({ where: { familyId_userId: { familyId: list.familyId, userId } } }) : null;
  if (!list || !member) throw notFound('Todo list');
  return { list, member };
}

async function itemFor(tx: Tx, itemId: string, userId: string): Promise<{ item: TodoItem; familyId: string; member: FamilyMember }> {
  const item = isUuid(itemId) ? await tx.todoItem.findUnique({ where: { id: itemId }, include: { list: { select: { familyId: true } } } }) : null;
  const member = item ? await tx.familyMember.findUnique({ where: { familyId_userId: { familyId: item.list.familyId, userId } } }) : null;
  if (!item || !member) throw notFound('Todo item');
  const { list, ...row } = item;
  return { item: row, familyId: list.familyId, member };
}

// ---- lists ------------------------------------------------------------------------------

export async function createTodoList(services: FamilyServices, userId: string, familyId: string, rawInput: unknown): Promise<TodoList> {
  const input = parseInput(createTodoListInput, rawInput);
  return services.db.$transaction(async (tx) => {
    await authorize(tx, familyId, userId, 'manageLists');
    return tx.todoList.create({ data: { familyId, name: input.name, type: input.type ?? 'SHARED' } });
  });
}

export async function updateTodoList(services: FamilyServices, userId: string, id: string, rawInput: unknown): Promise<TodoList> {
  const input = parseInput(updateTodoListInput, rawInput);
  return services.db.$transaction(async (tx) => {
    requirePermission((await listFor(tx, id, userId)).member, 'manageLists');
    return tx.todoList.update({
      where: { id },
      data: { ...(input.name !== undefined ? { name: input.name } : {}), ...(input.type !== undefined ? { type: input.type } : {}) },
    });
  });
}

export async function deleteTodoList(services: FamilyServices, userId: string, id: string): Promise<string> {
  await services.db.$transaction(async (tx) => {
    requirePermission((await listFor(tx, id, userId)).member, 'manageLists');
    await tx.todoList.delete({ where: { id } });
  });
  return id;
}

// ---- items ------------------------------------------------------------------------------

/** Status and who completed it move together: DONE records who and when, anything else clears both. */
function completion(current: Pick<TodoItem, 'status'> | null, status: TodoItem['status'], userId: string) {
  if (status !== 'DONE') return { status, completedAt: null, completedBy: null };
  if (current?.status === 'DONE') return { status };
  return { status, completedAt: new Date(), completedBy: userId };
}

export async function createTodoItem(services: FamilyServices, userId: string, listId: string, rawInput: unknown): Promise<TodoItem> {
  const input = parseInput(createTodoItemInput, rawInput);
  return services.db.$transaction(async (tx) => {
    const { list, member } = await listFor(tx, listId, userId);
    requirePermission(member, 'editItems');
    if (input.assignedToId) await requireMembers(tx, list.familyId, [input.assignedToId], 'input.assignedToId');
    return tx.todoItem.create({
      data: {
        listId: list.id,
        title: input.title,
        description: input.description || null,
        assignedTo: input.assignedToId ?? null,
        dueDate: input.dueDate ?? null,
        priority: input.priority ?? 'MEDIUM',
      },
    });
  });
}

export async function updateTodoItem(services: FamilyServices, userId: string, id: string, rawInput: unknown): Promise<TodoItem> {
  const input = parseInput(updateTodoItemInput, rawInput);
  return services.db.$transaction(async (tx) => {
    const { item, member } = await itemFor(tx, id, userId);
    requirePermission(member, 'editItems');
    const data: Prisma.TodoItemUpdateInput = {};
    if (input.title !== undefined) data.title = input.title;
    if (input.description !== undefined) data.description = input.description || null;
    if (input.dueDate !== undefined) data.dueDate = input.dueDate;
    if (input.priority !== undefined) data.priority = input.priority;
    if (input.status !== undefined) Object.assign(data, completion(item, input.status, userId));
    return tx.todoItem.update({ where: { id }, data });
  });
}

/** Assigns an item to a member of its family, or unassigns it. */
export async function assignTodoItem(services: FamilyServices, userId: string, id: string, assigneeId: string | null | undefined): Promise<TodoItem> {
  const assignee = assigneeId ? parseInput(uuidArg, assigneeId, 'userId') : null;
  return services.db.$transaction(async (tx) => {
    const { familyId, member } = await itemFor(tx, id, userId);
    requirePermission(member, 'editItems');
    if (assignee) await requireMembers(tx, familyId, [assignee], 'userId');
    return tx.todoItem.update({ where: { id }, data: { assignedTo: assignee } });
  });
}

export async function completeTodoItem(services: FamilyServices, userId: string, id: string, completed: boolean): Promise<TodoItem> {
  return services.db.$transaction(async (tx) => {
    const { item, member } = await itemFor(tx, id, userId);
    requirePermission(member, 'editItems');
    if (!completed && item.status !== 'DONE') return item;
    return tx.todoItem.update({ where: { id }, data: completion(item, completed ? 'DONE' : 'TODO', userId) });
  });
}

export async function deleteTodoItem(services: FamilyServices, userId: string, id: string): Promise<string> {
  await services.db.$transaction(async (tx) => {
    requirePermission((await itemFor(tx, id, userId)).member, 'deleteItems');
    await tx.todoItem.delete({ where: { id } });
  });
  return id;
}
