import { isUuid } from '@calos/kernel';
import type { IdentityContext } from '../context.js';
import { deletionStatus } from '../deletion.js';
import type { User as UserModel } from '../generated/prisma/client.js';
import type { UserResolvers } from '../generated/graphql.js';

/** Private fields resolve only for the user themself; for anyone else they are null. */
const isSelf = (user: UserModel, ctx: IdentityContext) => ctx.subject()?.userId === user.id;

export const User: UserResolvers = {
  __resolveReference: (ref, ctx) => (isUuid(ref.id) ? ctx.loaders.user.load(ref.id) : null),
  email: (user, _a, ctx) => (isSelf(user, ctx) ? user.email : null),
  roles: (user, _a, ctx) => (isSelf(user, ctx) ? user.roles : null),
  devices: (user, _a, ctx) => (isSelf(user, ctx) ? ctx.loaders.devicesByUser.load(user.id) : null),
  sessions: (user, _a, ctx) => (isSelf(user, ctx) ? ctx.loaders.activeSessionsByUser.load(user.id) : null),
  credits: (user, _a, ctx) => (isSelf(user, ctx) ? ctx.loaders.wallet.load(user.id) : null),
  subscription: (user, _a, ctx) => (isSelf(user, ctx) ? ctx.loaders.subscription.load(user.id) : null),
  deletionStatus: async (user, _a, ctx) => (isSelf(user, ctx) || (await ctx.isAdmin()) ? deletionStatus(ctx, { userId: user.id }) : null),
};
