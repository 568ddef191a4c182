import { readFileSync } from 'node:fs';
import type { TokenVerifier } from '@calos/auth';
import { TRANSACTION_OPTIONS } from '@calos/db';
import { UserDeleted, type Transport } from '@calos/events';
import type { Logger } from '@calos/kernel';
import { startDomainService, type DomainEnv, type DomainService } from '@calos/service';
import { createContext, type HollowtownContext } from './context.js';
import { familyEventHandlers } from './family-read-model.js';
import { PrismaClient } from './generated/prisma/client.js';
import { DOMAIN, purgeUserData } from './purge.js';
import { resolvers } from './resolvers/index.js';

export const typeDefs = readFileSync(new URL('../schema.graphql', import.meta.url), 'utf8');

export interface HollowtownServiceOptions {
  env: DomainEnv;
  databaseUrl: string;
  transport?: Transport;
  logger?: Logger;
  host?: string;
  /** Tests that build their own context pass a stub; otherwise tokens are checked against identity's JWKS. */
  verifyToken?: TokenVerifier;
}

export type HollowtownService = DomainService<PrismaClient>;

export function startHollowtownService(options: HollowtownServiceOptions): Promise<HollowtownService> {
  return startDomainService<PrismaClient, HollowtownContext>({
    domain: DOMAIN,
    typeDefs,
    resolvers: resolvers as never,
    createClient: (adapter) => new PrismaClient({ adapter, transactionOptions: TRANSACTION_OPTIONS }),
    context: createContext,
    subscriptions: () => [
      { domain: 'identity', handlers: { [UserDeleted.type]: purgeUserData } },
      { domain: 'family', handlers: familyEventHandlers },
    ],
    ...options,
  });
}
