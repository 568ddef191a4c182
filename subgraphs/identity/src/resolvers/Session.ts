import type { SessionResolvers } from '../generated/graphql.js';

export const Session: SessionResolvers = {
  device: async (session, _a, ctx) => {
    const device = await ctx.loaders.device.load(session.deviceId);
    if (!device) throw new Error(`session ${session.id} has no device`);
    return device;
  },
  current: (session, _a, ctx) => ctx.subject()?.sessionId === session.id,
};
