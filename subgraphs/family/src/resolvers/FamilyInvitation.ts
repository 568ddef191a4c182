import type { FamilyInvitationResolvers } from '../generated/graphql.js';

export const FamilyInvitation: FamilyInvitationResolvers = {
  invitedBy: (invitation) => (invitation.invitedBy ? { __typename: 'User', id: invitation.invitedBy } : null),
};
