import { readFileSync } from 'node:fs';
import { TRANSACTION_OPTIONS } from '@calos/db';
import { UserDeleted } from '@calos/events';
import { startDomainService, type DomainService, type DomainStartOptions } from '@calos/service';
import { createContext, type MealplansContext } from './context.js';
import { PrismaClient } from './generated/prisma/client.js';
import { DOMAIN, purgeUserData } from './purge.js';
import { eventListHandlers } from './event-lists.js';
import { familyEventHandlers } from './family-read-model.js';
import { recipeEventHandlers } from './recipe-read-model.js';
import { resolvers } from './resolvers/index.js';

export const typeDefs = readFileSync(new URL('../schema.graphql', import.meta.url), 'utf8');

export type MealplansServiceOptions = DomainStartOptions;

export type MealplansService = DomainService<PrismaClient>;

export function startMealplansService(options: MealplansServiceOptions): Promise<MealplansService> {
  return startDomainService<PrismaClient, MealplansContext>({
    domain: DOMAIN,
    typeDefs,
    resolvers: resolvers as never,
    createClient: (adapter) => new PrismaClient({ adapter, transactionOptions: TRANSACTION_OPTIONS }),
    context: createContext,
    subscriptions: () => [
      { domain: 'identity', handlers: { [UserDeleted.type]: purgeUserData } },
      { domain: 'recipes', handlers: recipeEventHandlers },
      { domain: 'family', handlers: familyEventHandlers },
      { domain: 'hollowtown', handlers: eventListHandlers },
    ],
    ...options,
  });
}
