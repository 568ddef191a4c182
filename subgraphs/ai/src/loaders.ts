import DataLoader from 'dataloader';
import { firstByKey, groupByKey } from '@calos/service';
import { API_KEY_VIEW, type ApiKeyView } from './api-keys.js';
import type { ModelPreference, PrismaClient } from './generated/prisma/client.js';

/** Per-request loaders: any number of users' keys or preferences cost one statement each. */
export function createLoaders(db: PrismaClient) {
  return {
    apiKeysByUser: new DataLoader<string, ApiKeyView[]>(async (userIds) =>
      groupByKey(
        await db.apiKey.findMany({ where: { userId: { in: [...userIds] } }, select: API_KEY_VIEW, orderBy: [{ createdAt: 'desc' }, { id: 'asc' }] }),
        (r) => r.userId,
        userIds,
      ),
    ),
    preferenceByUser: new DataLoader<string, ModelPreference | null>(async (userIds) =>
      firstByKey(await db.modelPreference.findMany({ where: { userId: { in: [...userIds] } } }), (r) => r.userId, userIds),
    ),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
