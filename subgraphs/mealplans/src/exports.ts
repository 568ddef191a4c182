export { mealplansEnvSchema } from './env.js';
export { startMealplansService, typeDefs, type MealplansService } from './server.js';
