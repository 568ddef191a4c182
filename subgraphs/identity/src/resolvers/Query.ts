import type { QueryResolvers } from '../generated/graphql.js';

export const Query: QueryResolvers = {
  me: async (_parent, _args, ctx) => {
    if (!ctx.viewer) return null;
    const viewer = await ctx.requireViewer();
    return ctx.loaders.user.load(viewer.userId);
  },
};
