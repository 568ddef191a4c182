import type { QueryResolvers } from '../generated/graphql.js';
import { listModels } from '../catalog.js';

export const Query: QueryResolvers = {
  aiModels: async (_p, _a, ctx) =>
    listModels({
      pool: ctx.pool,
      pricing: ctx.pricing,
      defaultModel: ctx.defaultModel,
      keyProviders: ctx.viewer ? await ctx.keys.activeProviders(ctx.viewer.userId) : new Set(),
    }),
};
