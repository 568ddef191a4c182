import { readFileSync } from 'node:fs';
import { TRANSACTION_OPTIONS } from '@calos/db';
import { UserDeleted } from '@calos/events';
import { startDomainService, type DomainService, type DomainStartOptions } from '@calos/service';
import { createContext, type RecipesContext } from './context.js';
import { PrismaClient } from './generated/prisma/client.js';
import { DOMAIN, purgeUserData } from './purge.js';
import { resolvers } from './resolvers/index.js';
import { sharedRecipeHandlers } from './shared-recipes.js';

export const typeDefs = readFileSync(new URL('../schema.graphql', import.meta.url), 'utf8');

export type RecipesServiceOptions = DomainStartOptions;

export type RecipesService = DomainService<PrismaClient>;

export function startRecipesService(options: RecipesServiceOptions): Promise<RecipesService> {
  return startDomainService<PrismaClient, RecipesContext>({
    domain: DOMAIN,
    typeDefs,
    resolvers: resolvers as never,
    createClient: (adapter) => new PrismaClient({ adapter, transactionOptions: TRANSACTION_OPTIONS }),
    context: createContext,
    subscriptions: () => [
      { domain: 'identity', handlers: { [UserDeleted.type]: purgeUserData } },
      { domain: 'hollowtown', handlers: sharedRecipeHandlers },
    ],
    ...options,
  });
}
