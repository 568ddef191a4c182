// What other packages (the in-process stack, tests) may use from identity.
export { identityEnvSchema, type IdentityEnv } from './env.js';
export { devKeyFile, startIdentityService, typeDefs, type IdentityService } from './server.js';
