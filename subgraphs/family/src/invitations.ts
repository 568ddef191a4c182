import { createHash, randomBytes } from 'node:crypto';
import { FamilyMemberAdded, newEvent, publish } from '@calos/events';
import { badUserInput, isUuid, notFound, parseInput } from '@calos/kernel';
import { authorize, lockFamily, membershipOf, requirePermission } from './access.js';
import type { FamilyServices } from './context.js';
import type { Family, FamilyInvitation } from './generated/prisma/client.js';
import { inviteInput, tokenInput } from './validation.js';

export const INVITATION_TTL_MS = 7 * 24 * 60 * 60 * 1000;
/** More open invitations than any family needs is someone spraying tokens. */
export const MAX_PENDING_INVITATIONS = 50;

/** 256 random bits, URL-safe: what the invitee presents. */
const newInvitationToken = () => randomBytes(32).toString('base64url');
/** Only the SHA-256 of a token is stored: a database leak yields nothing redeemable. */
export const invitationTokenHash = (token: string) => createHash('sha256').update(token).digest('hex');

export interface InvitationPayload {
  token: string;
  expiresAt: Date;
  invitation: FamilyInvitation;
}

/**
 * Issues an invitation into a family (ADMIN only). Inviting the same login again replaces
 * its earlier pending invitation, so only the newest token works.
 */
export async function inviteFamilyMember(
  services: FamilyServices,
  viewerId: string,
  familyId: string,
  rawLogin: unknown,
  rawRole: unknown,
): Promise<InvitationPayload> {
  const { login, role } = parseInput(inviteInput, { login: rawLogin, role: rawRole }, '');
  const token = newInvitationToken();
  const expiresAt = new Date(Date.now() + INVITATION_TTL_MS);
  const invitation = await services.db.$transaction(async (tx) => {
    await authorize(tx, familyId, viewerId, 'manageMembers');
    await tx.familyInvitation.deleteMany({ where: { familyId, login, acceptedAt: null } });
    const pending = await tx.familyInvitation.count({ where: { familyId, acceptedAt: null, expiresAt: { gt: new Date() } } });
    if (pending >= MAX_PENDING_INVITATIONS) {
      throw badUserInput({ login: [`this family already has ${MAX_PENDING_INVITATIONS} open invitations: revoke some first`] });
    }
    return tx.familyInvitation.create({ data: { familyId, login, role, tokenHash: invitationTokenHash(token), invitedBy: viewerId, expiresAt } });
  });
  return { token, expiresAt, invitation };
}

/** Withdraws a pending invitation (ADMIN only). False when it was accepted or already gone. */
export async function revokeFamilyInvitation(services: FamilyServices, viewerId: string, id: string): Promise<boolean> {
  const invitation = isUuid(id) ? await services.db.familyInvitation.findUnique({ where: { id } }) : null;
  if (!invitation) throw notFound('Invitation');
  const member = await membershipOf(services.db, invitation.familyId, viewerId, 'Invitation');
  requirePermission(member, 'manageMembers');
  const { count } = await services.db.familyInvitation.deleteMany({ where: { id, acceptedAt: null } });
  return count > 0;
}

const invalidToken = (reason: string) => badUserInput({ token: [reason] });

/**
 * The signed-in user joins the invitation's family with its role. The token works once,
 * for 7 days; an unknown, used or expired token, or an invitee who is already a member,
 * changes nothing.
 */
export async function acceptFamilyInvitation(services: FamilyServices, userId: string, rawToken: unknown): Promise<Family> {
  const token = parseInput(tokenInput, rawToken, 'token');
  const family = await services.db.$transaction(async (tx) => {
    const invitation = await tx.familyInvitation.findUnique({ where: { tokenHash: invitationTokenHash(token) } });
    if (!invitation) throw invalidToken('is not a valid invitation');
    if (invitation.acceptedAt) throw invalidToken('has already been used');
    if (invitation.expiresAt.getTime() <= Date.now()) throw invalidToken('has expired: ask for a new invitation');
    const { familyId, role } = invitation;
    await lockFamily(tx, familyId);
    if (await tx.familyMember.findUnique({ where: { familyId_userId: { familyId, userId } } })) {
      throw invalidToken('is for a family you are already a member of');
    }
    // Single use, also when the same token is presented twice at once: only one claim matches.
    const claimed = await tx.familyInvitation.updateMany({ where: { id: invitation.id, acceptedAt: null }, data: { acceptedAt: new Date() } });
    if (claimed.count !== 1) throw invalidToken('has already been used');
    await tx.familyMember.create({ data: { familyId, userId, role } });
    await publish(tx, newEvent(FamilyMemberAdded, familyId, { familyId, userId, role }));
    return tx.family.findUniqueOrThrow({ where: { id: familyId } });
  });
  services.events.relay.wake();
  return family;
}
