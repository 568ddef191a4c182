export { hollowtownEnvSchema } from './env.js';
export { startHollowtownService, typeDefs, type HollowtownService } from './server.js';
