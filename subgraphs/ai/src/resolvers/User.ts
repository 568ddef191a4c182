import { Prisma } from '../generated/prisma/client.js';
import { badUserInput } from '@calos/kernel';
import { decodeCursor, encodeCursor, toPage } from '@calos/service';
import type { AiUsage } from '../generated/prisma/client.js';
import type { UserResolvers } from '../generated/graphql.js';
import type { WindowUsage } from '../rate-limits.js';

export interface RateLimitsModel {
  plan: string;
  perMinute: WindowUsage;
  perHour: WindowUsage;
  perDay: WindowUsage;
}

const MAX_PAGE = 100;

/** Everything ai keeps about a user is private: null for anyone but the user themself. */
export const User: UserResolvers = {
  __resolveReference: (ref) => ({ id: ref.id }),
  apiKeys: (user, _a, ctx) => (ctx.viewer?.userId === user.id ? ctx.loaders.apiKeysByUser.load(user.id) : null),
  modelPreference: (user, _a, ctx) => (ctx.viewer?.userId === user.id ? ctx.loaders.preferenceByUser.load(user.id) : null),

  rateLimits: async (user, _a, ctx) => {
    if (ctx.viewer?.userId !== user.id) return null;
    const plan = await ctx.identity.plan(user.id);
    const usage = await ctx.limits.usage(user.id, plan);
    return { plan: plan.code, perMinute: usage.minute, perHour: usage.hour, perDay: usage.day };
  },

  aiUsage: async (user, { first, after }, ctx) => {
    if (ctx.viewer?.userId !== user.id) return null;
    const size = first ?? 20;
    if (size < 0 || size > MAX_PAGE) throw badUserInput({ first: [`must be between 0 and ${MAX_PAGE}`] });
    let keyset = Prisma.sql`TRUE`;
    if (after) {
      const c = decodeCursor(after, ['c', 'id'] as const);
      keyset = Prisma.sql`("createdAt", "id") < (${c.c}::timestamptz, ${c.id}::uuid)`;
    }
    const [rows, totals] = await Promise.all([
      ctx.db.$queryRaw<AiUsage[]>`SELECT * FROM "ai_usage" WHERE "userId" = ${user.id}::uuid AND ${keyset} ORDER BY "createdAt" DESC, "id" DESC LIMIT ${size + 1}`,
      ctx.db.aiUsage.aggregate({ where: { userId: user.id }, _count: { _all: true }, _sum: { credits: true } }),
    ]);
    const page = toPage(rows, size, (r) => encodeCursor({ c: r.createdAt.toISOString(), id: r.id }), totals._count._all, Boolean(after));
    return { ...page, totalCredits: totals._sum.credits ?? 0 };
  },
};
