import { isUuid } from '@calos/kernel';
import { deletionStatus } from '../deletion.js';
import type { QueryResolvers } from '../generated/graphql.js';

export const Query: QueryResolvers = {
  me: async (_parent, _args, ctx) => {
    if (!ctx.viewer) return null;
    const viewer = await ctx.requireViewer();
    return ctx.loaders.user.load(viewer.userId);
  },
  // The receipt is the credential: it was shown once, to the user who deleted the account.
  accountDeletionStatus: (_p, { receipt }, ctx) => (receipt.length >= 20 && receipt.length <= 200 ? deletionStatus(ctx, { receipt }) : null),
  accountDeletion: async (_p, { userId }, ctx) => {
    await ctx.requireAdmin();
    return isUuid(userId) ? deletionStatus(ctx, { userId }) : null;
  },
};
