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
  // Added later: events published before carry neither (hence the defaults).
  tags: z.array(z.string()).default([]),
  /** Prep plus cook time. */
  totalMinutes: z.number().int().min(0).nullable().default(null),
});

export const RecipePublished = defineEvent('RecipePublished', 'Recipe', recipeSnapshot);
export const RecipeUpdated = defineEvent('RecipeUpdated', 'Recipe', recipeSnapshot);
export const RecipeDeleted = defineEvent('RecipeDeleted', 'Recipe', z.object({ recipeId: z.uuid(), authorId: z.uuid() }));

export type RecipeSnapshot = z.infer<typeof recipeSnapshot>;

// ---- family ----------------------------------------------------------------------------

export const familyRole = z.enum(['ADMIN', 'PARENT', 'CHILD']);
export const FamilyCreated = defineEvent('FamilyCreated', 'Family', z.object({ familyId: z.uuid(), name: z.string(), createdBy: z.uuid() }));
export const FamilyMemberAdded = defineEvent('FamilyMemberAdded', 'Family', z.object({ familyId: z.uuid(), userId: z.uuid(), role: familyRole }));
export const FamilyMemberRoleChanged = defineEvent('FamilyMemberRoleChanged', 'Family', z.object({ familyId: z.uuid(), userId: z.uuid(), role: familyRole }));
export const FamilyMemberRemoved = defineEvent('FamilyMemberRemoved', 'Family', z.object({ familyId: z.uuid(), userId: z.uuid() }));
export const FamilyDeleted = defineEvent('FamilyDeleted', 'Family', z.object({ familyId: z.uuid() }));

// ---- hollowtown ------------------------------------------------------------------------

/** A user saved a spooky recipe into My Recipes (the recipes domain stores a reference). */
export const SpookyRecipeShared = defineEvent('SpookyRecipeShared', 'SpookyRecipe', z.object({ spookyRecipeId: z.uuid(), userId: z.uuid() }));
/** The original is gone: references to it go too. */
export const SpookyRecipeDeleted = defineEvent('SpookyRecipeDeleted', 'SpookyRecipe', z.object({ spookyRecipeId: z.uuid(), authorId: z.uuid() }));

/** A Halloween event exists or changed: mealplans keeps its shopping list (owned by the host, shared with the family). */
export const HalloweenEventScheduled = defineEvent(
  'HalloweenEventScheduled',
  'Event',
  z.object({ eventId: z.uuid(), name: z.string(), hostId: z.uuid(), familyId: z.uuid().nullable() }),
);
export const HalloweenEventCancelled = defineEvent('HalloweenEventCancelled', 'Event', z.object({ eventId: z.uuid(), hostId: z.uuid() }));

/**
 * A recipe was added to an event: its ingredients, scaled to `servings`, go on the event's
 * shopping list. A spooky recipe carries its ingredients (hollowtown owns them); a recipe of
 * the recipes domain is looked up in mealplans' own recipe read model.
 */
export const EventRecipeAdded = defineEvent(
  'EventRecipeAdded',
  'Event',
  z.object({
    eventId: z.uuid(),
    /** The event as it is now, so the list can be made even if this arrives first. */
    eventName: z.string(),
    hostId: z.uuid(),
    familyId: z.uuid().nullable(),
    addedBy: z.uuid(),
    servings: z.number().int().positive(),
    recipe: z.discriminatedUnion('source', [
      z.object({ source: z.literal('RECIPES'), recipeId: z.uuid() }),
      z.object({
        source: z.literal('HOLLOWTOWN'),
        spookyRecipeId: z.uuid(),
        title: z.string(),
        serves: z.number().int().positive(),
        ingredients: z.array(ingredientData),
      }),
    ]),
  }),
);
