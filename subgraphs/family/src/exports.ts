export { familyEnvSchema } from './env.js';
export { startFamilyService, typeDefs, type FamilyService } from './server.js';
