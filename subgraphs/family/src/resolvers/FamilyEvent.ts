import type { FamilyEventResolvers } from '../generated/graphql.js';
import { loadVisible } from '../loaders.js';

export const FamilyEvent: FamilyEventResolvers = {
  attendees: (event) => event.attendeeIds.map((id) => ({ __typename: 'User' as const, id })),
  family: (event, _a, ctx) => loadVisible(ctx.loaders.family, event.familyId, 'Family'),
};
