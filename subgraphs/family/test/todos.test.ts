import { beforeAll, describe, expect, it } from 'vitest';
import type { Viewer } from '@calos/auth';
import { useFamilyService } from './harness.js';

const f = useFamilyService('family_todos');

const CREATE_LIST = `mutation($f: ID!, $input: CreateTodoListInput!) { createTodoList(familyId: $f, input: $input) { id name type family { id } } }`;
const UPDATE_LIST = `mutation($id: ID!, $input: UpdateTodoListInput!) { updateTodoList(id: $id, input: $input) { id name type } }`;
const DELETE_LIST = `mutation($id: ID!) { deleteTodoList(id: $id) }`;
const ITEM_FIELDS = `id title description assignedTo { id } dueDate priority status completedAt completedBy { id } list { id }`;
const CREATE_ITEM = `mutation($l: ID!, $input: CreateTodoItemInput!) { createTodoItem(listId: $l, input: $input) { ${ITEM_FIELDS} } }`;
const UPDATE_ITEM = `mutation($id: ID!, $input: UpdateTodoItemInput!) { updateTodoItem(id: $id, input: $input) { ${ITEM_FIELDS} } }`;
const ASSIGN = `mutation($id: ID!, $u: ID) { assignTodoItem(id: $id, userId: $u) { id assignedTo { id } } }`;
const COMPLETE = `mutation($id: ID!, $c: Boolean) { completeTodoItem(id: $id, completed: $c) { id status completedAt completedBy { id } } }`;
const DELETE_ITEM = `mutation($id: ID!) { deleteTodoItem(id: $id) }`;
const LIST = `query($id: ID!) { todoList(id: $id) { id name items { title status } } }`;
const LISTS = `query($id: ID!) { family(id: $id) { todoLists { name type items { title } } } }`;

let familyId: string;
let admin: Viewer;
let parent: Viewer;
let child: Viewer;
let outsider: Viewer;

beforeAll(async () => {
  ({ familyId, admin, parent, child, outsider } = await f.household());
});

async function newList(by: Viewer = parent, name = 'Groceries'): Promise<string> {
  return (await f.ok(CREATE_LIST, { f: familyId, input: { name } }, by)).createTodoList.id as string;
}

async function newItem(listId: string, by: Viewer = parent, input: Record<string, unknown> = { title: 'Buy milk' }): Promise<string> {
  return (await f.ok(CREATE_ITEM, { l: listId, input }, by)).createTodoItem.id as string;
}

describe('todo lists', () => {
  it('are created, renamed and deleted by ADMINs and PARENTs only', async () => {
    const created = (await f.ok(CREATE_LIST, { f: familyId, input: { name: 'Chores', type: 'CHORES' } }, admin)).createTodoList;
    expect(created).toMatchObject({ name: 'Chores', type: 'CHORES', family: { id: familyId } });
    const byParent = await newList(parent, 'Weekend');
    expect((await f.ok(CREATE_LIST, { f: familyId, input: { name: 'Mine' } }, parent)).createTodoList.type).toBe('SHARED');

    expect((await f.gql(CREATE_LIST, { f: familyId, input: { name: 'Kids rule' } }, child)).codes).toEqual(['FORBIDDEN']);
    expect((await f.gql(UPDATE_LIST, { id: byParent, input: { name: 'Kids rule' } }, child)).codes).toEqual(['FORBIDDEN']);
    expect((await f.gql(DELETE_LIST, { id: byParent }, child)).codes).toEqual(['FORBIDDEN']);

    expect((await f.ok(UPDATE_LIST, { id: byParent, input: { name: 'Weekend jobs', type: 'PERSONAL' } }, parent)).updateTodoList).toEqual({
      id: byParent,
      name: 'Weekend jobs',
      type: 'PERSONAL',
    });
    expect((await f.ok(DELETE_LIST, { id: byParent }, admin)).deleteTodoList).toBe(byParent);
    expect((await f.ok(LIST, { id: byParent }, admin)).todoList).toBeNull();
  });

  it('do not exist for outsiders', async () => {
    const listId = await newList();
    expect((await f.gql(CREATE_LIST, { f: familyId, input: { name: 'Sneaky' } }, outsider)).codes).toEqual(['NOT_FOUND']);
    expect((await f.gql(UPDATE_LIST, { id: listId, input: { name: 'Sneaky' } }, outsider)).codes).toEqual(['NOT_FOUND']);
    expect((await f.gql(DELETE_LIST, { id: listId }, outsider)).codes).toEqual(['NOT_FOUND']);
    expect((await f.ok(LIST, { id: listId }, outsider)).todoList).toBeNull();
    expect((await f.ok(LISTS, { id: familyId }, outsider)).family).toBeNull();
    expect((await f.gql(LIST, { id: listId })).codes).toEqual(['UNAUTHENTICATED']);
  });

  it('validate names per field and write nothing', async () => {
    const before = await f.service.services.db.todoList.count({ where: { familyId } });
    const result = await f.gql(CREATE_LIST, { f: familyId, input: { name: 'x'.repeat(101) } }, admin);
    expect(result.codes).toEqual(['BAD_USER_INPUT']);
    expect(result.fields).toEqual({ 'input.name': ['must be at most 100 characters'] });
    expect(await f.service.services.db.todoList.count({ where: { familyId } })).toBe(before);
  });
});

describe('todo items', () => {
  it('can be created, updated, assigned and completed by a CHILD, but not deleted', async () => {
    const listId = await newList();
    const created = (await f.ok(CREATE_ITEM, { l: listId, input: { title: 'Tidy room', description: 'Under the bed too', priority: 'HIGH', dueDate: '2027-03-01T17:00:00Z' } }, child))
      .createTodoItem;
    expect(created).toMatchObject({
      title: 'Tidy room',
      description: 'Under the bed too',
      priority: 'HIGH',
      status: 'TODO',
      dueDate: '2027-03-01T17:00:00.000Z',
      assignedTo: null,
      completedAt: null,
      completedBy: null,
      list: { id: listId },
    });

    const updated = (await f.ok(UPDATE_ITEM, { id: created.id, input: { title: 'Tidy room (really)', description: null, status: 'IN_PROGRESS' } }, child)).updateTodoItem;
    expect(updated).toMatchObject({ title: 'Tidy room (really)', description: null, status: 'IN_PROGRESS', completedAt: null });

    expect((await f.ok(ASSIGN, { id: created.id, u: child.userId }, child)).assignTodoItem.assignedTo).toEqual({ id: child.userId });

    const done = (await f.ok(COMPLETE, { id: created.id }, child)).completeTodoItem;
    expect(done).toMatchObject({ status: 'DONE', completedBy: { id: child.userId } });
    expect(Date.now() - Date.parse(done.completedAt)).toBeLessThan(60_000);

    // Completing again keeps who did it first; reopening clears it.
    expect((await f.ok(COMPLETE, { id: created.id, c: true }, parent)).completeTodoItem.completedBy).toEqual({ id: child.userId });
    expect((await f.ok(COMPLETE, { id: created.id, c: false }, child)).completeTodoItem).toMatchObject({ status: 'TODO', completedAt: null, completedBy: null });
    // DONE through updateTodoItem records completion the same way.
    expect((await f.ok(UPDATE_ITEM, { id: created.id, input: { status: 'DONE' } }, parent)).updateTodoItem.completedBy).toEqual({ id: parent.userId });

    expect((await f.gql(DELETE_ITEM, { id: created.id }, child)).codes).toEqual(['FORBIDDEN']);
    expect((await f.ok(DELETE_ITEM, { id: created.id }, parent)).deleteTodoItem).toBe(created.id);
    expect((await f.ok(LIST, { id: listId }, child)).todoList.items).toEqual([]);
  });

  it('can only be assigned to members of the family', async () => {
    const listId = await newList();
    const itemId = await newItem(listId);
    const result = await f.gql(ASSIGN, { id: itemId, u: outsider.userId }, admin);
    expect(result.codes).toEqual(['BAD_USER_INPUT']);
    expect(Object.keys(result.fields ?? {})).toEqual(['userId']);
    const onCreate = await f.gql(CREATE_ITEM, { l: listId, input: { title: 'Nope', assignedToId: outsider.userId } }, admin);
    expect(onCreate.codes).toEqual(['BAD_USER_INPUT']);
    expect(Object.keys(onCreate.fields ?? {})).toEqual(['input.assignedToId']);

    expect((await f.ok(ASSIGN, { id: itemId, u: parent.userId }, admin)).assignTodoItem.assignedTo).toEqual({ id: parent.userId });
    expect((await f.ok(ASSIGN, { id: itemId, u: null }, admin)).assignTodoItem.assignedTo).toBeNull();
  });

  it('do not exist for outsiders', async () => {
    const listId = await newList();
    const itemId = await newItem(listId);
    expect((await f.gql(CREATE_ITEM, { l: listId, input: { title: 'Sneaky' } }, outsider)).codes).toEqual(['NOT_FOUND']);
    expect((await f.gql(UPDATE_ITEM, { id: itemId, input: { title: 'Sneaky' } }, outsider)).codes).toEqual(['NOT_FOUND']);
    expect((await f.gql(ASSIGN, { id: itemId, u: outsider.userId }, outsider)).codes).toEqual(['NOT_FOUND']);
    expect((await f.gql(COMPLETE, { id: itemId }, outsider)).codes).toEqual(['NOT_FOUND']);
    expect((await f.gql(DELETE_ITEM, { id: itemId }, outsider)).codes).toEqual(['NOT_FOUND']);
    expect((await f.gql(COMPLETE, { id: 'not-an-id' }, admin)).codes).toEqual(['NOT_FOUND']);
    expect((await f.gql(COMPLETE, { id: itemId })).codes).toEqual(['UNAUTHENTICATED']);
  });

  it('validate input per field and write nothing', async () => {
    const listId = await newList();
    const result = await f.gql(CREATE_ITEM, { l: listId, input: { title: '', description: 'd'.repeat(2001) } }, child);
    expect(result.codes).toEqual(['BAD_USER_INPUT']);
    expect(result.fields).toEqual({ 'input.title': ['must not be empty'], 'input.description': ['must be at most 2000 characters'] });
    const itemId = await newItem(listId, child, { title: 'Keep me' });
    const update = await f.gql(UPDATE_ITEM, { id: itemId, input: { title: 't'.repeat(201) } }, child);
    expect(update.fields).toEqual({ 'input.title': ['must be at most 200 characters'] });
    expect((await f.ok(LIST, { id: listId }, child)).todoList.items).toEqual([{ title: 'Keep me', status: 'TODO' }]);
  });

  it('list open work first, then by due date', async () => {
    const listId = await newList();
    const done = await newItem(listId, parent, { title: 'done' });
    await newItem(listId, parent, { title: 'later', dueDate: '2027-05-01T00:00:00Z' });
    await newItem(listId, parent, { title: 'no date' });
    await newItem(listId, parent, { title: 'sooner', dueDate: '2027-04-01T00:00:00Z' });
    const busy = await newItem(listId, parent, { title: 'busy' });
    await f.ok(COMPLETE, { id: done }, parent);
    await f.ok(UPDATE_ITEM, { id: busy, input: { status: 'IN_PROGRESS' } }, parent);
    expect((await f.ok(LIST, { id: listId }, child)).todoList.items.map((i: { title: string }) => i.title)).toEqual(['sooner', 'later', 'no date', 'busy', 'done']);
  });
});
