import type { TodoItemResolvers } from '../generated/graphql.js';
import { loadVisible } from '../loaders.js';

export const TodoItem: TodoItemResolvers = {
  assignedTo: (item) => (item.assignedTo ? { __typename: 'User', id: item.assignedTo } : null),
  completedBy: (item) => (item.completedBy ? { __typename: 'User', id: item.completedBy } : null),
  list: (item, _a, ctx) => loadVisible(ctx.loaders.todoList, item.listId, 'Todo list'),
};
