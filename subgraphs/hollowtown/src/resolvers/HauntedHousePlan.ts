import type { HauntedHousePlanResolvers } from '../generated/graphql.js';

export const HauntedHousePlan: HauntedHousePlanResolvers = {
  owner: (plan) => ({ __typename: 'User', id: plan.ownerId }),
};
