import { newEvent, publish, UserProfileUpdated, UserRegistered } from '@calos/events';
import { badUserInput, parseInput, unauthenticated, type FieldErrors } from '@calos/kernel';
import { Prisma } from './generated/prisma/client.js';
import type { IdentityServices } from './context.js';
import { dummyPasswordHash, hashPassword, needsRehash, verifyPassword } from './passwords.js';
import { authPayload, openSession, type AuthPayload } from './sessions.js';
import { loginInput, profileInput, registerInput } from './validation.js';

export const FREE_PLAN = 'free';

function uniqueViolationFields(error: unknown): string[] | null {
  if (!(error instanceof Prisma.PrismaClientKnownRequestError) || error.code !== 'P2002') return null;
  const target = JSON.stringify(error.meta ?? {});
  return ['username', 'email'].filter((f) => target.includes(f));
}

/**
 * Creates the account, its wallet (with the sign-up grant as its first ledger entry),
 * its free subscription and its first session, in one transaction: any failure writes nothing.
 */
export async function register(services: IdentityServices, rawInput: unknown, userAgent: string | undefined): Promise<AuthPayload> {
  const input = parseInput(registerInput, rawInput);
  const username = input.username.toLowerCase();
  const email = input.email.toLowerCase();

  const taken = await services.db.user.findMany({
    where: { OR: [{ username }, { email }] },
    select: { username: true, email: true },
  });
  const conflicts: FieldErrors = {};
  if (taken.some((u) => u.username === username)) conflicts['input.username'] = ['is already taken'];
  if (taken.some((u) => u.email === email)) conflicts['input.email'] = ['is already registered'];
  if (Object.keys(conflicts).length > 0) throw badUserInput(conflicts);

  const passwordHash = await hashPassword(input.password);
  try {
    const { user, device, session, refreshToken } = await services.db.$transaction(async (tx) => {
      const user = await tx.user.create({
        data: { username, email, displayName: input.displayName ?? input.username, passwordHash },
      });
      await tx.creditWallet.create({ data: { userId: user.id, balance: services.signupCredits } });
      if (services.signupCredits > 0) {
        await tx.creditLedgerEntry.create({
          data: {
            userId: user.id,
            kind: 'GRANT',
            amount: services.signupCredits,
            balanceAfter: services.signupCredits,
            reason: 'Welcome credits',
            idempotencyKey: `signup:${user.id}`,
          },
        });
      }
      await tx.subscription.create({ data: { userId: user.id, planCode: FREE_PLAN, status: 'ACTIVE' } });
      await publish(tx, newEvent(UserRegistered, user.id, { userId: user.id, username: user.username, displayName: user.displayName }));
      const opened = await openSession(tx, user.id, { name: input.deviceName, type: input.deviceType }, userAgent);
      return { user, ...opened };
    });
    services.events?.relay.wake();
    services.logger.info({ userId: user.id }, 'account registered');
    return authPayload(services, user, device, session.id, refreshToken);
  } catch (error) {
    // Lost a race with a concurrent registration of the same name: same answer as the pre-check.
    const fields = uniqueViolationFields(error);
    if (fields?.length) {
      throw badUserInput(
        Object.fromEntries(fields.map((f) => [`input.${f}`, [f === 'username' ? 'is already taken' : 'is already registered']])),
      );
    }
    throw error;
  }
}

const INVALID_LOGIN = 'Invalid username/email or password.';

export async function login(services: IdentityServices, rawInput: unknown, userAgent: string | undefined): Promise<AuthPayload> {
  const input = parseInput(loginInput, rawInput);
  const key = input.login.toLowerCase();
  const user = await services.db.user.findFirst({
    where: { deletedAt: null, ...(key.includes('@') ? { email: key } : { username: key }) },
  });
  // Verify against a real hash even when there is no such user: equal timing either way.
  const ok = await verifyPassword(user?.passwordHash ?? (await dummyPasswordHash()), input.password);
  if (!user || !ok) throw unauthenticated(INVALID_LOGIN);

  const rehash = needsRehash(user.passwordHash) ? await hashPassword(input.password) : null;
  const { device, session, refreshToken } = await services.db.$transaction(async (tx) => {
    if (rehash) await tx.user.update({ where: { id: user.id }, data: { passwordHash: rehash } });
    return openSession(tx, user.id, { name: input.deviceName, type: input.deviceType }, userAgent);
  });
  return authPayload(services, user, device, session.id, refreshToken);
}

/** Changes what others see of the user; other domains keep their copies current from the event. */
export async function updateProfile(services: IdentityServices, userId: string, rawInput: unknown) {
  const input = parseInput(profileInput, rawInput);
  const user = await services.db.$transaction(async (tx) => {
    const updated = await tx.user.update({ where: { id: userId }, data: { displayName: input.displayName } });
    await publish(tx, newEvent(UserProfileUpdated, userId, { userId, username: updated.username, displayName: updated.displayName }));
    return updated;
  });
  services.events?.relay.wake();
  return user;
}
