import { signAccessToken } from '@calos/auth';
import { unauthenticated } from '@calos/kernel';
import type { Device, DeviceType, Prisma, User } from './generated/prisma/client.js';
import type { IdentityServices } from './context.js';
import { newOpaqueToken, tokenHash } from './tokens.js';

export const REFRESH_TOKEN_TTL_MS = 30 * 24 * 60 * 60 * 1000;

type Tx = Prisma.TransactionClient;

export interface AuthPayload {
  accessToken: string;
  refreshToken: string;
  expiresAt: Date;
  user: User;
  device: Device;
  sessionId: string;
}

export interface NewDevice {
  name?: string | null | undefined;
  type?: DeviceType | null | undefined;
}

/** A readable default device name from the User-Agent ("Firefox on Linux"). */
export function deviceNameFrom(userAgent: string | undefined): string {
  if (!userAgent) return 'Unknown device';
  const browser = /Edg\//.test(userAgent) ? 'Edge' : /Firefox\//.test(userAgent) ? 'Firefox' : /Chrome\//.test(userAgent) ? 'Chrome' : /Safari\//.test(userAgent) ? 'Safari' : null;
  const os = /Android/.test(userAgent) ? 'Android' : /iPhone|iPad/.test(userAgent) ? 'iOS' : /Mac OS X/.test(userAgent) ? 'macOS' : /Windows/.test(userAgent) ? 'Windows' : /Linux/.test(userAgent) ? 'Linux' : null;
  if (browser && os) return `${browser} on ${os}`;
  return (browser ?? os ?? userAgent.split(/[\s/]/)[0] ?? 'Unknown device').slice(0, 80);
}

/** Registers a device and opens a session on it, inside the caller's transaction. */
export async function openSession(tx: Tx, userId: string, device: NewDevice, userAgent: string | undefined) {
  const created = await tx.device.create({
    data: { userId, name: device.name ?? deviceNameFrom(userAgent), type: device.type ?? 'WEB' },
  });
  const refreshToken = newOpaqueToken();
  const session = await tx.session.create({
    data: {
      userId,
      deviceId: created.id,
      expiresAt: new Date(Date.now() + REFRESH_TOKEN_TTL_MS),
      refreshTokens: { create: { tokenHash: tokenHash(refreshToken), expiresAt: new Date(Date.now() + REFRESH_TOKEN_TTL_MS) } },
    },
  });
  return { device: created, session, refreshToken };
}

export async function authPayload(
  services: IdentityServices,
  user: User,
  device: Device,
  sessionId: string,
  refreshToken: string,
): Promise<AuthPayload> {
  const { token, expiresAt } = await signAccessToken(services.keys, services.tokens, {
    userId: user.id,
    sessionId,
    deviceId: device.id,
    roles: user.roles,
  });
  return { accessToken: token, refreshToken, expiresAt, user, device, sessionId };
}

type RotateOutcome =
  | { kind: 'rotated'; user: User; device: Device; sessionId: string; refreshToken: string }
  | { kind: 'reused' }
  | { kind: 'invalid' };

/**
 * Refresh-token rotation (RFC 9700 §4.14.2): each refresh token works once. Presenting
 * one that was already rotated means it leaked: every session on that device is revoked,
 * so the thief's copy and the legitimate one both stop working.
 */
export async function rotateRefreshToken(services: IdentityServices, presented: string): Promise<AuthPayload> {
  const now = new Date();
  const outcome = await services.db.$transaction(async (tx): Promise<RotateOutcome> => {
    const row = await tx.refreshToken.findUnique({
      where: { tokenHash: tokenHash(presented) },
      include: { session: { include: { user: true, device: true } } },
    });
    // The account may be deleted (its devices, sessions and tokens purged) while we read:
    // a relation that vanished in between makes the token invalid, not an error.
    const session = row?.session as (typeof row & {})['session'] | null | undefined;
    if (!row || !session?.device || !session.user) return { kind: 'invalid' };
    const revokeDeviceSessions = async (reason: string) => {
      await tx.session.updateMany({
        where: { deviceId: session.deviceId, revokedAt: null },
        data: { revokedAt: now, revokedReason: reason },
      });
    };
    if (row.rotatedAt) {
      await revokeDeviceSessions('refresh_token_reuse');
      return { kind: 'reused' };
    }
    if (session.revokedAt || session.expiresAt <= now || row.expiresAt <= now || session.device.revokedAt || session.user.deletedAt) {
      return { kind: 'invalid' };
    }
    // Conditional update: of two concurrent refreshes with the same token, one wins.
    const claimed = await tx.refreshToken.updateMany({ where: { id: row.id, rotatedAt: null }, data: { rotatedAt: now } });
    if (claimed.count !== 1) {
      await revokeDeviceSessions('refresh_token_reuse');
      return { kind: 'reused' };
    }
    const refreshToken = newOpaqueToken();
    await tx.refreshToken.create({
      data: { sessionId: session.id, tokenHash: tokenHash(refreshToken), expiresAt: new Date(now.getTime() + REFRESH_TOKEN_TTL_MS) },
    });
    await tx.session.updateMany({ where: { id: session.id }, data: { lastUsedAt: now } });
    await tx.device.updateMany({ where: { id: session.deviceId }, data: { lastSeenAt: now } });
    const device = await tx.device.findUnique({ where: { id: session.deviceId } });
    if (!device) return { kind: 'invalid' };
    return { kind: 'rotated', user: session.user, device, sessionId: session.id, refreshToken };
  });
  if (outcome.kind === 'reused') {
    services.logger.warn('refresh token reuse detected; revoked the device sessions');
    throw unauthenticated('This refresh token was already used. The session has been revoked; sign in again.');
  }
  if (outcome.kind === 'invalid') throw unauthenticated('The refresh token is invalid or has expired. Sign in again.');
  return authPayload(services, outcome.user, outcome.device, outcome.sessionId, outcome.refreshToken);
}

export async function revokeSession(services: IdentityServices, sessionId: string, reason: string): Promise<void> {
  await services.db.session.updateMany({ where: { id: sessionId, revokedAt: null }, data: { revokedAt: new Date(), revokedReason: reason } });
}

export async function revokeDevice(services: IdentityServices, userId: string, deviceId: string): Promise<Device | null> {
  const now = new Date();
  return services.db.$transaction(async (tx) => {
    const device = await tx.device.findFirst({ where: { id: deviceId, userId } });
    if (!device) return null;
    await tx.session.updateMany({ where: { deviceId, revokedAt: null }, data: { revokedAt: now, revokedReason: 'device_revoked' } });
    return device.revokedAt ? device : tx.device.update({ where: { id: deviceId }, data: { revokedAt: now } });
  });
}
