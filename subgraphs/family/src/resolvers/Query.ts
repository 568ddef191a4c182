import { isUuid } from '@calos/kernel';
import type { QueryResolvers } from '../generated/graphql.js';

/** Signed-in only; a family you are not in, and anything in it, is null. */
export const Query: QueryResolvers = {
  family: (_p, { id }, ctx) => (ctx.requireViewer() && isUuid(id) ? ctx.loaders.family.load(id) : null),
  todoList: (_p, { id }, ctx) => (ctx.requireViewer() && isUuid(id) ? ctx.loaders.todoList.load(id) : null),
  familyEvent: (_p, { id }, ctx) => (ctx.requireViewer() && isUuid(id) ? ctx.loaders.familyEvent.load(id) : null),
};
