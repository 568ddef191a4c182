import { readFileSync } from 'node:fs';
import type { TokenVerifier } from '@calos/auth';
import { TRANSACTION_OPTIONS } from '@calos/db';
import { UserDeleted, type Transport } from '@calos/events';
import type { Logger } from '@calos/kernel';
import { startDomainService, type DomainEnv, type DomainService } from '@calos/service';
import { createContext, type FamilyContext } from './context.js';
import { PrismaClient } from './generated/prisma/client.js';
import { DOMAIN, purgeUserData } from './purge.js';
import { resolvers } from './resolvers/index.js';

export const typeDefs = readFileSync(new URL('../schema.graphql', import.meta.url), 'utf8');

export interface FamilyServiceOptions {
  env: DomainEnv;
  databaseUrl: string;
  transport?: Transport;
  /** Defaults to verifying against identity's JWKS (tests pass their own). */
  verifyToken?: TokenVerifier;
  logger?: Logger;
  host?: string;
}

export type FamilyService = DomainService<PrismaClient>;

export function startFamilyService(options: FamilyServiceOptions): Promise<FamilyService> {
  return startDomainService<PrismaClient, FamilyContext>({
    domain: DOMAIN,
    typeDefs,
    resolvers: resolvers as never,
    createClient: (adapter) => new PrismaClient({ adapter, transactionOptions: TRANSACTION_OPTIONS }),
    context: createContext,
    subscriptions: () => [{ domain: 'identity', handlers: { [UserDeleted.type]: purgeUserData } }],
    ...options,
  });
}
