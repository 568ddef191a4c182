import { loadEnv, createLogger } from '@calos/kernel';
import { gatewayEnvSchema } from './env.js';
import { startGateway } from './server.js';

const env = loadEnv('gateway', gatewayEnvSchema);
const logger = createLogger('gateway', env.LOG_LEVEL);
const gateway = await startGateway({ env, logger });

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void gateway.close().then(() => process.exit(0));
  });
}
