import { ingredientSchema } from '@calos/kitchen';
import { z } from 'zod';

const text = (max: number) => z.string().trim().max(max, `must be at most ${max} characters`);
const required = (max: number) => text(max).min(1, 'must not be empty');
export const uuidArg = z.uuid('is not a valid id');

export const level = z.number().int('must be a whole number').min(1, 'must be from 1 to 10').max(10, 'must be from 1 to 10');
const minutes = z.number().int().min(0, 'must not be negative').max(10_000, 'is too long');
/** Money is integer cents, never negative; an int4 column holds up to $21M, we allow $10M. */
const cents = z.number().int('must be whole cents').min(0, 'must not be negative').max(1_000_000_000, 'is too large');
const difficulty = z.enum(['EASY', 'MEDIUM', 'HARD', 'NIGHTMARE']);
const tag = z
  .string()
  .trim()
  .toLowerCase()
  .min(1, 'must not be empty')
  .max(40, 'must be at most 40 characters')
  .regex(/^[a-z0-9][a-z0-9 -]*$/, 'may contain letters, digits, spaces and dashes');
const imageUrl = z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' }).max(2000);
const steps = (max: number) => z.array(required(2000)).max(max, `at most ${max} steps`);

// ---- spooky recipes --------------------------------------------------------------------

export const spookyFields = {
  name: required(200),
  spookinessLevel: level,
  difficulty,
  // The kitchen's ingredient shape and canonical units, as recipes of every domain use.
  ingredients: z.array(ingredientSchema).min(1, 'needs at least one ingredient').max(100, 'at most 100 ingredients'),
  instructions: steps(100).min(1, 'needs at least one step'),
  prepTimeMinutes: minutes,
  serves: z.number().int().min(1, 'must be at least 1').max(100, 'must be at most 100'),
  tags: z.array(tag).max(20, 'at most 20 tags'),
  imageUrl,
  visibility: z.enum(['PRIVATE', 'PUBLIC']),
};

export const createSpookyRecipeInput = z.object({
  name: spookyFields.name,
  spookinessLevel: spookyFields.spookinessLevel,
  difficulty: spookyFields.difficulty.nullish(),
  ingredients: spookyFields.ingredients,
  instructions: spookyFields.instructions,
  prepTimeMinutes: spookyFields.prepTimeMinutes.nullish(),
  serves: spookyFields.serves,
  tags: spookyFields.tags.nullish(),
  imageUrl: spookyFields.imageUrl.nullish(),
  visibility: spookyFields.visibility.nullish(),
});

/** Every field optional; `null` clears `imageUrl`. */
export const updateSpookyRecipeInput = z.object({
  name: spookyFields.name.optional(),
  spookinessLevel: spookyFields.spookinessLevel.optional(),
  difficulty: spookyFields.difficulty.optional(),
  ingredients: spookyFields.ingredients.optional(),
  instructions: spookyFields.instructions.optional(),
  prepTimeMinutes: spookyFields.prepTimeMinutes.optional(),
  serves: spookyFields.serves.optional(),
  tags: spookyFields.tags.optional(),
  imageUrl: spookyFields.imageUrl.nullish(),
  visibility: spookyFields.visibility.optional(),
});

export const spookyFilterInput = z
  .object({
    search: text(200).nullish(),
    difficulty: difficulty.nullish(),
    minSpookiness: level.nullish(),
    maxSpookiness: level.nullish(),
    tags: z.array(tag).max(20).nullish(),
    authorId: z.string().nullish(),
  })
  .refine((f) => f.minSpookiness == null || f.maxSpookiness == null || f.minSpookiness <= f.maxSpookiness, {
    path: ['maxSpookiness'],
    message: 'must not be below minSpookiness',
  })
  .nullish();

export const pageInput = z.object({
  first: z.number().int().min(0, 'must not be negative').max(100, 'must be at most 100'),
  after: z.string().max(500).nullish(),
});

// ---- events ----------------------------------------------------------------------------

const eventFields = {
  name: required(120),
  type: z.enum(['PARTY', 'HAUNTED_HOUSE', 'TRICK_OR_TREAT', 'OTHER']),
  date: z.date('must be a date-time'),
  location: text(200),
  guestCount: z.number().int().min(0, 'must not be negative').max(100_000, 'is too large'),
  budgetCents: cents,
  familyId: uuidArg,
};

export const createEventInput = z.object({
  name: eventFields.name,
  type: eventFields.type.nullish(),
  date: eventFields.date,
  location: eventFields.location.nullish(),
  guestCount: eventFields.guestCount.nullish(),
  budgetCents: eventFields.budgetCents.nullish(),
  familyId: eventFields.familyId.nullish(),
});

/** Every field optional; `familyId: null` stops sharing with the family. */
export const updateEventInput = z.object({
  name: eventFields.name.optional(),
  type: eventFields.type.optional(),
  date: eventFields.date.optional(),
  location: eventFields.location.nullish(),
  guestCount: eventFields.guestCount.optional(),
  budgetCents: eventFields.budgetCents.optional(),
  familyId: eventFields.familyId.nullish(),
});

export const expenseInput = z.object({
  description: required(200),
  amountCents: cents,
  spentAt: z.date('must be a date-time').nullish(),
});

const EXACTLY_ONE = 'give exactly one of recipeId and spookyRecipeId';

/** A recipe for an event: exactly one of the two sources. */
export const eventRecipeInput = z
  .object({
    recipeId: uuidArg.nullish(),
    spookyRecipeId: uuidArg.nullish(),
    servings: z.number().int().min(1, 'must be at least 1').max(1000, 'must be at most 1000'),
  })
  .superRefine((value, ctx) => {
    if ((value.recipeId == null) === (value.spookyRecipeId == null)) {
      ctx.addIssue({ code: 'custom', path: ['recipeId'], message: EXACTLY_ONE });
      ctx.addIssue({ code: 'custom', path: ['spookyRecipeId'], message: EXACTLY_ONE });
    }
  });

// ---- costumes --------------------------------------------------------------------------

export const createCostumeInput = z.object({
  name: required(120),
  difficulty: difficulty.nullish(),
  materials: z.array(required(100)).max(50, 'at most 50 materials').nullish(),
  costEstimateCents: cents.nullish(),
  imageUrl: imageUrl.nullish(),
});

export const costumePageInput = pageInput.extend({ sort: z.enum(['TOP', 'NEW']) });

// ---- haunted-house plans ---------------------------------------------------------------

const planFields = {
  roomName: required(120),
  scareLevel: level,
  propsNeeded: z.array(required(200)).max(100, 'at most 100 props'),
  setupInstructions: steps(100),
};

export const createPlanInput = z.object({
  roomName: planFields.roomName,
  scareLevel: planFields.scareLevel,
  propsNeeded: planFields.propsNeeded.nullish(),
  setupInstructions: planFields.setupInstructions.nullish(),
});

export const updatePlanInput = z.object({
  roomName: planFields.roomName.optional(),
  scareLevel: planFields.scareLevel.optional(),
  propsNeeded: planFields.propsNeeded.optional(),
  setupInstructions: planFields.setupInstructions.optional(),
});

export type SpookyRecipeFilter = NonNullable<z.infer<typeof spookyFilterInput>>;
