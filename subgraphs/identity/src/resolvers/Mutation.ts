import { isUuid, notFound, parseInput } from '@calos/kernel';
import { login, register, updateProfile } from '../accounts.js';
import { deleteAccount, deletionStatus } from '../deletion.js';
import { completeDevicePairing, startDevicePairing } from '../pairing.js';
import { revokeDevice, revokeSession, rotateRefreshToken } from '../sessions.js';
import { refreshTokenInput } from '../validation.js';
import type { IdentityContext } from '../context.js';
import type { MutationResolvers } from '../generated/graphql.js';
import type { AuthPayload } from '../sessions.js';

/** The payload's user is the caller from now on: they see their own private fields in it. */
function signedIn(ctx: IdentityContext, payload: AuthPayload): AuthPayload {
  ctx.signedIn({ userId: payload.user.id, deviceId: payload.device.id, sessionId: payload.sessionId });
  return payload;
}

export const Mutation: MutationResolvers = {
  register: async (_p, { input }, ctx) => signedIn(ctx, await register(ctx, input, ctx.userAgent)),
  login: async (_p, { input }, ctx) => signedIn(ctx, await login(ctx, input, ctx.userAgent)),
  refreshSession: async (_p, { refreshToken }, ctx) =>
    signedIn(ctx, await rotateRefreshToken(ctx, parseInput(refreshTokenInput, refreshToken, 'refreshToken'))),
  logout: async (_p, _a, ctx) => {
    const viewer = await ctx.requireViewer();
    await revokeSession(ctx, viewer.sessionId, 'logout');
    return true;
  },
  revokeDevice: async (_p, { id }, ctx) => {
    const viewer = await ctx.requireViewer();
    const device = isUuid(id) ? await revokeDevice(ctx, viewer.userId, id) : null;
    if (!device) throw notFound('Device');
    return device;
  },
  startDevicePairing: async (_p, _a, ctx) => {
    const viewer = await ctx.requireViewer();
    return startDevicePairing(ctx, viewer.userId);
  },
  updateProfile: async (_p, { input }, ctx) => {
    const viewer = await ctx.requireViewer();
    return updateProfile(ctx, viewer.userId, input);
  },
  deleteAccount: async (_p, { password }, ctx) => {
    const viewer = await ctx.requireViewer();
    const { receipt } = await deleteAccount(ctx, viewer.userId, password);
    const status = await deletionStatus(ctx, { userId: viewer.userId });
    if (!status) throw new Error('account deletion was not recorded');
    return { receipt, status };
  },
  completeDevicePairing: async (_p, { input }, ctx) => signedIn(ctx, await completeDevicePairing(ctx, input, ctx.userAgent)),
};
