import { isUuid, notFound, parseInput } from '@calos/kernel';
import { login, register } from '../accounts.js';
import { completeDevicePairing, startDevicePairing } from '../pairing.js';
import { revokeDevice, revokeSession, rotateRefreshToken } from '../sessions.js';
import { refreshTokenInput } from '../validation.js';
import type { MutationResolvers } from '../generated/graphql.js';

export const Mutation: MutationResolvers = {
  register: (_p, { input }, ctx) => register(ctx, input, ctx.userAgent),
  login: (_p, { input }, ctx) => login(ctx, input, ctx.userAgent),
  refreshSession: (_p, { refreshToken }, ctx) => rotateRefreshToken(ctx, parseInput(refreshTokenInput, refreshToken, 'refreshToken')),
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
  completeDevicePairing: (_p, { input }, ctx) => completeDevicePairing(ctx, input, ctx.userAgent),
};
