export { recipesEnvSchema } from './env.js';
export { startRecipesService, typeDefs, type RecipesService } from './server.js';
