import { badUserInput, parseInput } from '@calos/kernel';
import type { IdentityServices } from './context.js';
import { authPayload, openSession, type AuthPayload } from './sessions.js';
import { formatPairingCode, newPairingCode, tokenHash } from './tokens.js';
import { pairingInput } from './validation.js';

export const PAIRING_TTL_MS = 10 * 60 * 1000;

/** On a signed-in device: a one-time code the user types on the new device. */
export async function startDevicePairing(services: IdentityServices, userId: string) {
  const code = newPairingCode();
  const expiresAt = new Date(Date.now() + PAIRING_TTL_MS);
  await services.db.devicePairing.create({ data: { userId, codeHash: tokenHash(code), expiresAt } });
  return { code: formatPairingCode(code), expiresAt };
}

/** On the new device: redeems the code (once, before it expires) for a session of its own. */
export async function completeDevicePairing(services: IdentityServices, rawInput: unknown, userAgent: string | undefined): Promise<AuthPayload> {
  const input = parseInput(pairingInput, rawInput);
  const now = new Date();
  const result = await services.db.$transaction(async (tx) => {
    const pairing = await tx.devicePairing.findUnique({ where: { codeHash: tokenHash(input.code) }, include: { user: true } });
    if (!pairing || pairing.consumedAt || pairing.expiresAt <= now || pairing.user.deletedAt) return null;
    const claimed = await tx.devicePairing.updateMany({ where: { id: pairing.id, consumedAt: null }, data: { consumedAt: now } });
    if (claimed.count !== 1) return null;
    const opened = await openSession(tx, pairing.userId, { name: input.deviceName, type: input.deviceType }, userAgent);
    return { user: pairing.user, ...opened };
  });
  if (!result) throw badUserInput({ 'input.code': ['is invalid, already used or expired'] });
  return authPayload(services, result.user, result.device, result.session.id, result.refreshToken);
}
