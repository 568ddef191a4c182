import type { FamilyMemberResolvers } from '../generated/graphql.js';

export const FamilyMember: FamilyMemberResolvers = {
  user: (member) => ({ __typename: 'User', id: member.userId }),
};
