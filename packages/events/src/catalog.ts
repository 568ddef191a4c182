import { z } from 'zod';
import { defineEvent, type EventOf } from './envelope.js';

/**
 * Every event type the platform publishes, with the schema of its data. Publishers and
 * subscribers share these definitions, so a payload is validated on both ends.
 */
export const UserRegistered = defineEvent(
  'UserRegistered',
  'User',
  z.object({ userId: z.uuid(), username: z.string(), displayName: z.string() }),
);

export const UserProfileUpdated = defineEvent(
  'UserProfileUpdated',
  'User',
  z.object({ userId: z.uuid(), username: z.string(), displayName: z.string() }),
);

export const UserDeleted = defineEvent('UserDeleted', 'User', z.object({ userId: z.uuid(), deletedAt: z.iso.datetime({ offset: true }) }));

/** A domain reports it has removed or anonymised everything it held about a deleted user. */
export const UserDataPurged = defineEvent(
  'UserDataPurged',
  'User',
  z.object({ userId: z.uuid(), domain: z.string().min(1), purgedAt: z.iso.datetime({ offset: true }), rowsAffected: z.number().int().min(0) }),
);

export type UserRegisteredEvent = EventOf<typeof UserRegistered>;
export type UserDeletedEvent = EventOf<typeof UserDeleted>;
export type UserDataPurgedEvent = EventOf<typeof UserDataPurged>;

/** The stream a domain publishes to. */
export const streamOf = (domain: string) => `events:${domain}`;

const ingredientData = z.object({ name: z.string(), quantity: z.number().nullable(), unit: z.string().nullable(), note: z.string().nullable() });

/** What other domains need of a recipe (mealplans keeps a read model of it). */
export const recipeSnapshot = z.object({
  recipeId: z.uuid(),
  authorId: z.uuid(),
  title: z.string(),
  serves: z.number().int().positive(),
  ingredients: z.array(ingredientData),
  visibility: z.enum(['PRIVATE', 'PUBLIC']),
});

export const RecipePublished = defineEvent('RecipePublished', 'Recipe', recipeSnapshot);
export const RecipeUpdated = defineEvent('RecipeUpdated', 'Recipe', recipeSnapshot);
export const RecipeDeleted = defineEvent('RecipeDeleted', 'Recipe', z.object({ recipeId: z.uuid(), authorId: z.uuid() }));

export type RecipeSnapshot = z.infer<typeof recipeSnapshot>;
