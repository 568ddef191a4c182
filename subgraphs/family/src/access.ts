import { badUserInput, forbidden, isUuid, notFound } from '@calos/kernel';
import type { FamilyMember, FamilyRole, Prisma } from './generated/prisma/client.js';

type Tx = Prisma.TransactionClient;

/**
 * Who may do what in a family. Anyone who is not a member gets NOT_FOUND instead: a family
 * you are not in does not exist for you. ADMIN can do everything a PARENT can.
 */
export const PERMISSIONS = {
  /** Invite, remove others, change roles, see pending invitations. */
  manageMembers: ['ADMIN'],
  /** Rename or delete the family. */
  manageFamily: ['ADMIN'],
  /** Create, rename and delete todo lists. */
  manageLists: ['ADMIN', 'PARENT'],
  /** Create, update, assign and complete items. */
  editItems: ['ADMIN', 'PARENT', 'CHILD'],
  deleteItems: ['ADMIN', 'PARENT'],
  /** Have the AI suggest items (suggestTodoItems): it creates items, so whoever may create them by hand. */
  suggestItems: ['ADMIN', 'PARENT', 'CHILD'],
  /** Create, update and delete calendar events. */
  manageCalendar: ['ADMIN', 'PARENT'],
} as const satisfies Record<string, readonly FamilyRole[]>;

export type Permission = keyof typeof PERMISSIONS;

const DENIED: Record<Permission, string> = {
  manageMembers: 'Only a family ADMIN can manage its members.',
  manageFamily: 'Only a family ADMIN can change or delete the family.',
  manageLists: 'Only a family ADMIN or PARENT can manage todo lists.',
  editItems: 'You cannot change items of this family.',
  deleteItems: 'Only a family ADMIN or PARENT can delete items.',
  suggestItems: 'You cannot add items to this family.',
  manageCalendar: 'Only a family ADMIN or PARENT can change the calendar.',
};

export const can = (role: FamilyRole, permission: Permission): boolean => (PERMISSIONS[permission] as readonly FamilyRole[]).includes(role);

export function requirePermission(member: Pick<FamilyMember, 'role'>, permission: Permission): void {
  if (!can(member.role, permission)) throw forbidden(DENIED[permission]);
}

/** The user's membership of a family; NOT_FOUND (named `what`) when they have none. */
export async function membershipOf(tx: Tx, familyId: string, userId: string, what = 'Family'): Promise<FamilyMember> {
  const member = isUuid(familyId) ? await tx.familyMember.findUnique({ where: { familyId_userId: { familyId, userId } } }) : null;
  if (!member) throw notFound(what);
  return member;
}

/** Membership plus the role check: NOT_FOUND for outsiders, FORBIDDEN for members without the role. */
export async function authorize(tx: Tx, familyId: string, userId: string, permission: Permission, what = 'Family'): Promise<FamilyMember> {
  const member = await membershipOf(tx, familyId, userId, what);
  requirePermission(member, permission);
  return member;
}

/**
 * Serialises the writers of one family's membership: the last-ADMIN rule is checked and
 * the family's events get their versions while no one else can change the members.
 * NOT_FOUND when the family does not exist.
 */
export async function lockFamily(tx: Tx, familyId: string): Promise<void> {
  const rows = isUuid(familyId) ? await tx.$queryRaw<Array<{ id: string }>>`SELECT "id" FROM "families" WHERE "id" = ${familyId}::uuid FOR UPDATE` : [];
  if (rows.length === 0) throw notFound('Family');
}

/**
 * Requires every user to be a member of the family (BAD_USER_INPUT on `field` otherwise).
 * The memberships stay share-locked until commit, so a concurrent removal waits and then
 * takes the user off what this transaction assigned to them.
 */
export async function requireMembers(tx: Tx, familyId: string, userIds: readonly string[], field: string): Promise<void> {
  if (userIds.length === 0) return;
  const rows = await tx.$queryRaw<Array<{ userId: string }>>`
    SELECT "userId" FROM "family_members" WHERE "familyId" = ${familyId}::uuid AND "userId" = ANY(${[...userIds]}::uuid[]) FOR SHARE`;
  const members = new Set(rows.map((r) => r.userId));
  const outsiders = userIds.filter((id) => !members.has(id));
  if (outsiders.length) throw badUserInput({ [field]: outsiders.map((id) => `${id} is not a member of this family`) });
}

export const lastAdmin = (members: readonly Pick<FamilyMember, 'userId' | 'role'>[], userId: string): boolean =>
  members.some((m) => m.userId === userId && m.role === 'ADMIN') && members.filter((m) => m.role === 'ADMIN').length === 1;
