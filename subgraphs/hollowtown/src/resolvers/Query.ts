import { isUuid, parseInput } from '@calos/kernel';
import { listCostumes } from '../costumes.js';
import { readable } from '../event-access.js';
import type { QueryResolvers } from '../generated/graphql.js';
import { searchSpookyRecipes } from '../search.js';
import { costumePageInput, pageInput, spookyFilterInput } from '../validation.js';

export const Query: QueryResolvers = {
  spookyRecipe: (_p, { id }, ctx) => (isUuid(id) ? ctx.loaders.spookyRecipe.load(id) : null),
  spookyRecipes: (_p, args, ctx) => {
    const filter = parseInput(spookyFilterInput, args.filter, 'filter') ?? {};
    const { first, after } = parseInput(pageInput, { first: args.first ?? 20, after: args.after }, 'page');
    return searchSpookyRecipes(ctx.db, { viewerId: ctx.viewer?.userId ?? null, filter, first, after });
  },
  event: async (_p, { id }, ctx) => (isUuid(id) ? readable(await ctx.loaders.event.load(id), ctx.viewer?.userId, ctx.loaders.viewerInFamily) : null),
  events: (_p, _a, ctx) => ctx.loaders.eventsByHost.load(ctx.requireViewer().userId),
  costume: (_p, { id }, ctx) => (isUuid(id) ? ctx.loaders.costume.load(id) : null),
  costumes: (_p, args, ctx) => {
    const { sort, first, after } = parseInput(costumePageInput, { sort: args.sort ?? 'TOP', first: args.first ?? 20, after: args.after }, 'page');
    return listCostumes(ctx.db, sort, first, after);
  },
  hauntedHousePlan: async (_p, { id }, ctx) => {
    const plan = isUuid(id) ? await ctx.loaders.hauntedHousePlan.load(id) : null;
    return plan && plan.ownerId === ctx.viewer?.userId ? plan : null;
  },
  hauntedHousePlans: (_p, _a, ctx) => ctx.loaders.plansByOwner.load(ctx.requireViewer().userId),
};
