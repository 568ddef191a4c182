import { canAccess } from '../access.js';
import type { EventResolvers } from '../generated/graphql.js';

export const Event: EventResolvers = {
  __resolveReference: (ref) => ({ id: ref.id }),
  shoppingList: async (event, _a, ctx) => {
    const list = await ctx.loaders.listByEvent.load(event.id);
    return list && canAccess(list, ctx.viewer?.userId, await ctx.memberships()) ? list : null;
  },
};
