import { createFamilyEvent, deleteFamilyEvent, updateFamilyEvent } from '../calendar.js';
import { createFamily, deleteFamily, updateFamily } from '../families.js';
import type { MutationResolvers } from '../generated/graphql.js';
import { acceptFamilyInvitation, inviteFamilyMember, revokeFamilyInvitation } from '../invitations.js';
import { changeMemberRole, removeFamilyMember } from '../membership.js';
import { suggestTodoItems } from '../suggest-items.js';
import { assignTodoItem, completeTodoItem, createTodoItem, createTodoList, deleteTodoItem, deleteTodoList, updateTodoItem, updateTodoList } from '../todos.js';

export const Mutation: MutationResolvers = {
  createFamily: (_p, { input }, ctx) => createFamily(ctx, ctx.requireViewer().userId, input),
  updateFamily: (_p, { id, input }, ctx) => updateFamily(ctx, ctx.requireViewer().userId, id, input),
  deleteFamily: (_p, { id }, ctx) => deleteFamily(ctx, ctx.requireViewer().userId, id),
  inviteFamilyMember: (_p, { familyId, login, role }, ctx) => inviteFamilyMember(ctx, ctx.requireViewer().userId, familyId, login, role),
  revokeFamilyInvitation: (_p, { id }, ctx) => revokeFamilyInvitation(ctx, ctx.requireViewer().userId, id),
  acceptFamilyInvitation: (_p, { token }, ctx) => acceptFamilyInvitation(ctx, ctx.requireViewer().userId, token),
  removeFamilyMember: (_p, { familyId, userId }, ctx) => removeFamilyMember(ctx, ctx.requireViewer().userId, familyId, userId),
  changeMemberRole: (_p, { familyId, userId, role }, ctx) => changeMemberRole(ctx, ctx.requireViewer().userId, familyId, userId, role),
  createTodoList: (_p, { familyId, input }, ctx) => createTodoList(ctx, ctx.requireViewer().userId, familyId, input),
  updateTodoList: (_p, { id, input }, ctx) => updateTodoList(ctx, ctx.requireViewer().userId, id, input),
  deleteTodoList: (_p, { id }, ctx) => deleteTodoList(ctx, ctx.requireViewer().userId, id),
  createTodoItem: (_p, { listId, input }, ctx) => createTodoItem(ctx, ctx.requireViewer().userId, listId, input),
  updateTodoItem: (_p, { id, input }, ctx) => updateTodoItem(ctx, ctx.requireViewer().userId, id, input),
  assignTodoItem: (_p, { id, userId }, ctx) => assignTodoItem(ctx, ctx.requireViewer().userId, id, userId),
  completeTodoItem: (_p, { id, completed }, ctx) => completeTodoItem(ctx, ctx.requireViewer().userId, id, completed ?? true),
  deleteTodoItem: (_p, { id }, ctx) => deleteTodoItem(ctx, ctx.requireViewer().userId, id),
  suggestTodoItems: (_p, { input }, ctx) => suggestTodoItems(ctx, ctx.requireViewer().userId, { ...input, count: input.count ?? 5 }),
  createFamilyEvent: (_p, { familyId, input }, ctx) => createFamilyEvent(ctx, ctx.requireViewer().userId, familyId, input),
  updateFamilyEvent: (_p, { id, input }, ctx) => updateFamilyEvent(ctx, ctx.requireViewer().userId, id, input),
  deleteFamilyEvent: (_p, { id }, ctx) => deleteFamilyEvent(ctx, ctx.requireViewer().userId, id),
};
