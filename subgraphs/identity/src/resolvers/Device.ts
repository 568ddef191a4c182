import type { DeviceResolvers } from '../generated/graphql.js';

export const Device: DeviceResolvers = {
  current: (device, _a, ctx) => ctx.subject()?.deviceId === device.id,
  // Devices are only reachable from their owner's own User fields, so no further check.
  sessions: (device, _a, ctx) => ctx.loaders.activeSessionsByDevice.load(device.id),
};
