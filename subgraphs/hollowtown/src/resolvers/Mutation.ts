import { createCostume, deleteCostume, removeCostumeUpvote, upvoteCostume } from '../costumes.js';
import type { MutationResolvers } from '../generated/graphql.js';
import { addEventExpense, addRecipeToEvent, createEvent, deleteEvent, removeEventExpense, updateEvent } from '../halloween-events.js';
import { createHauntedHousePlan, deleteHauntedHousePlan, updateHauntedHousePlan } from '../haunted-house.js';
import { generateSpookyRecipe } from '../generate.js';
import { createSpookyRecipe, deleteSpookyRecipe, shareSpookyRecipe, updateSpookyRecipe } from '../spooky-recipes.js';

export const Mutation: MutationResolvers = {
  createSpookyRecipe: (_p, { input }, ctx) => createSpookyRecipe(ctx, ctx.requireViewer().userId, input),
  generateSpookyRecipe: (_p, { input }, ctx) => generateSpookyRecipe(ctx, ctx.requireViewer().userId, input),
  updateSpookyRecipe: (_p, { id, input }, ctx) => updateSpookyRecipe(ctx, id, ctx.requireViewer().userId, input),
  deleteSpookyRecipe: (_p, { id }, ctx) => deleteSpookyRecipe(ctx, id, ctx.requireViewer().userId),
  shareSpookyRecipeToMyRecipes: (_p, { id }, ctx) => shareSpookyRecipe(ctx, id, ctx.requireViewer().userId),

  createEvent: (_p, { input }, ctx) => createEvent(ctx, ctx.requireViewer().userId, input),
  updateEvent: (_p, { id, input }, ctx) => updateEvent(ctx, id, ctx.requireViewer().userId, input),
  deleteEvent: (_p, { id }, ctx) => deleteEvent(ctx, id, ctx.requireViewer().userId),
  addEventExpense: (_p, { eventId, input }, ctx) => addEventExpense(ctx, eventId, ctx.requireViewer().userId, input),
  removeEventExpense: (_p, { expenseId }, ctx) => removeEventExpense(ctx, expenseId, ctx.requireViewer().userId),
  addRecipeToEvent: (_p, { eventId, recipeId, spookyRecipeId, servings }, ctx) =>
    addRecipeToEvent(ctx, eventId, ctx.requireViewer().userId, { recipeId, spookyRecipeId, servings }),

  createCostume: (_p, { input }, ctx) => createCostume(ctx, ctx.requireViewer().userId, input),
  deleteCostume: (_p, { id }, ctx) => deleteCostume(ctx, id, ctx.requireViewer().userId),
  upvoteCostume: (_p, { id }, ctx) => upvoteCostume(ctx, id, ctx.requireViewer().userId),
  removeCostumeUpvote: (_p, { id }, ctx) => removeCostumeUpvote(ctx, id, ctx.requireViewer().userId),

  createHauntedHousePlan: (_p, { input }, ctx) => createHauntedHousePlan(ctx, ctx.requireViewer().userId, input),
  updateHauntedHousePlan: (_p, { id, input }, ctx) => updateHauntedHousePlan(ctx, id, ctx.requireViewer().userId, input),
  deleteHauntedHousePlan: (_p, { id }, ctx) => deleteHauntedHousePlan(ctx, id, ctx.requireViewer().userId),
};
