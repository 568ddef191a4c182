import { readFileSync } from 'node:fs';
import { TRANSACTION_OPTIONS } from '@calos/db';
import { UserDeleted } from '@calos/events';
import { startDomainService, type DomainService, type DomainStartOptions } from '@calos/service';
import { createContext, type HollowtownContext } from './context.js';
import { familyEventHandlers } from './family-read-model.js';
import { PrismaClient } from './generated/prisma/client.js';
import { DOMAIN, purgeUserData } from './purge.js';
import { resolvers } from './resolvers/index.js';

export const typeDefs = readFileSync(new URL('../schema.graphql', import.meta.url), 'utf8');

export type HollowtownServiceOptions = DomainStartOptions;

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
