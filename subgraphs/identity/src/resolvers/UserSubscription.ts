import type { UserSubscriptionResolvers } from '../generated/graphql.js';

export const UserSubscription: UserSubscriptionResolvers = {
  plan: async (subscription, _a, ctx) => {
    const plan = await ctx.loaders.plan.load(subscription.planCode);
    if (!plan) throw new Error(`unknown plan ${subscription.planCode}`);
    return plan;
  },
};
