/**
 * Interactive-transaction limits for every Prisma client. Prisma's defaults (2 s to get a
 * connection, 5 s to finish) fail healthy requests on a busy small machine; these still
 * bound a stuck transaction.
 */
export const TRANSACTION_OPTIONS = { maxWait: 10_000, timeout: 30_000 } as const;
