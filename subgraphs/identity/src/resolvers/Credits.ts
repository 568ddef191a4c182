import type { CreditsResolvers } from '../generated/graphql.js';

export const Credits: CreditsResolvers = {
  ledger: (wallet, { first }, ctx) =>
    ctx.db.creditLedgerEntry.findMany({
      where: { userId: wallet.userId },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: Math.min(Math.max(first ?? 20, 0), 100),
    }),
};
