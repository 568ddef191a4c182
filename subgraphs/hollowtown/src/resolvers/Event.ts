import { budgetSummary } from '../budget.js';
import { readable } from '../event-access.js';
import type { EventResolvers } from '../generated/graphql.js';

export const Event: EventResolvers = {
  // Through federation too, an event exists only for its host and its family's members.
  __resolveReference: async (ref, ctx) => readable(await ctx.loaders.event.load(ref.id), ctx.viewer?.userId, ctx.loaders.viewerInFamily),
  spentCents: async (event, _a, ctx) => budgetSummary(event.budgetCents, await ctx.loaders.expensesByEvent.load(event.id)).spentCents,
  remainingCents: async (event, _a, ctx) => budgetSummary(event.budgetCents, await ctx.loaders.expensesByEvent.load(event.id)).remainingCents,
  expenses: (event, _a, ctx) => ctx.loaders.expensesByEvent.load(event.id),
  host: (event) => ({ __typename: 'User', id: event.hostId }),
  family: (event) => (event.familyId ? { __typename: 'Family', id: event.familyId } : null),
  recipes: (event, _a, ctx) => ctx.loaders.recipesByEvent.load(event.id),
};
