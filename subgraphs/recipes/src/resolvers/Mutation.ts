import { generateRecipe } from '../generate.js';
import { createRecipe, deleteRecipe, rateRecipe, saveRecipe, unsaveRecipe, updateRecipe } from '../catalog.js';
import type { MutationResolvers } from '../generated/graphql.js';

export const Mutation: MutationResolvers = {
  createRecipe: (_p, { input }, ctx) => createRecipe(ctx, ctx.requireViewer().userId, input),
  generateRecipe: (_p, { input }, ctx) => generateRecipe(ctx, ctx.requireViewer().userId, input),
  updateRecipe: (_p, { id, input }, ctx) => updateRecipe(ctx, id, ctx.requireViewer().userId, input),
  deleteRecipe: (_p, { id }, ctx) => deleteRecipe(ctx, id, ctx.requireViewer().userId),
  rateRecipe: (_p, { id, stars, review }, ctx) => rateRecipe(ctx, id, ctx.requireViewer().userId, { stars, review }),
  saveRecipe: (_p, { id }, ctx) => saveRecipe(ctx, id, ctx.requireViewer().userId, (rid) => ctx.loaders.recipe.load(rid)),
  unsaveRecipe: (_p, { id }, ctx) => unsaveRecipe(ctx, id, ctx.requireViewer().userId),
};
