import { notFound, parseInput } from '@calos/kernel';
import { can } from '../access.js';
import type { FamilyContext } from '../context.js';
import type { FamilyResolvers } from '../generated/graphql.js';
import { calendarRange } from '../validation.js';

async function viewerRole(familyId: string, ctx: FamilyContext) {
  const members = await ctx.loaders.membersByFamily.load(familyId);
  const role = members.find((m) => m.userId === ctx.viewer?.userId)?.role;
  if (!role) throw notFound('Family');
  return role;
}

export const Family: FamilyResolvers = {
  // Through federation too, a family exists only for its members.
  __resolveReference: (ref, ctx) => ctx.loaders.family.load(ref.id),
  createdBy: (family) => (family.createdBy ? { __typename: 'User', id: family.createdBy } : null),
  members: (family, _a, ctx) => ctx.loaders.membersByFamily.load(family.id),
  viewerRole: (family, _a, ctx) => viewerRole(family.id, ctx),
  invitations: async (family, _a, ctx) =>
    can(await viewerRole(family.id, ctx), 'manageMembers') ? ctx.loaders.invitationsByFamily.load(family.id) : null,
  todoLists: (family, _a, ctx) => ctx.loaders.listsByFamily.load(family.id),
  calendar: (family, args, ctx) => {
    const range = parseInput(calendarRange, { from: args.from, to: args.to }, '');
    return ctx.loaders.eventsInRange.load({ familyId: family.id, ...range });
  },
};
