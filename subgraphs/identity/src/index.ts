import { repoRoot, provisionDomainDatabase } from '@calos/db';
import { loadEnv, createLogger } from '@calos/kernel';
import { join } from 'node:path';
import { identityEnvSchema } from './env.js';
import { devKeyFile, startIdentityService } from './server.js';

const env = loadEnv('identity', identityEnvSchema);
const logger = createLogger('identity', env.LOG_LEVEL);
const dataRoot = join(repoRoot, '.data');
// With a real database, migrations are a deploy step (`npm run migrate:identity`);
// the embedded development database is migrated on start.
const database = await provisionDomainDatabase('identity', {
  url: env.IDENTITY_DATABASE_URL,
  dataRoot,
  migrate: !env.IDENTITY_DATABASE_URL,
  log: (line) => logger.info(line),
});
const service = await startIdentityService({ env, databaseUrl: database.url, devKeyFile: devKeyFile(dataRoot), logger });

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    logger.info(`${signal}: shutting down`);
    void service
      .close()
      .then(() => database.stop())
      .then(() => process.exit(0));
  });
}
