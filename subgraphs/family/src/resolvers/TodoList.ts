import type { TodoListResolvers } from '../generated/graphql.js';
import { loadVisible } from '../loaders.js';

export const TodoList: TodoListResolvers = {
  family: (list, _a, ctx) => loadVisible(ctx.loaders.family, list.familyId, 'Family'),
  items: (list, _a, ctx) => ctx.loaders.itemsByList.load(list.id),
};
