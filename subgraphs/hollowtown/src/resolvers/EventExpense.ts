import type { EventExpenseResolvers } from '../generated/graphql.js';

export const EventExpense: EventExpenseResolvers = {
  addedBy: (expense) => (expense.addedBy ? { __typename: 'User', id: expense.addedBy } : null),
};
