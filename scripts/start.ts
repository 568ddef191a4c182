/**
 * `npm start`: the whole supergraph on one machine. With no environment it runs every
 * domain on an embedded PostgreSQL (PGlite) under .data/, migrates it, loads demo data
 * and serves Apollo Sandbox at http://localhost:4000. Given <DOMAIN>_DATABASE_URL it
 * uses those servers instead.
 */
import { ALL_DOMAINS, databaseUrlVar } from '@calos/db';
import { createLogger, loadEnv } from '@calos/kernel';
import { DEMO_USER, loadDemoData, stackEnvSchema, startSupergraph } from '@calos/stack';

const started = performance.now();
const env = loadEnv('start', stackEnvSchema);
const logger = createLogger('supergraph', env.LOG_LEVEL);
const urls = Object.fromEntries(
  ALL_DOMAINS.map((d) => [d, (env as Record<string, unknown>)[databaseUrlVar(d)] as string | undefined]).filter(([, url]) => url),
);
const anyUrl = Object.keys(urls).length > 0;

const supergraph = await startSupergraph({
  database: anyUrl ? { kind: 'urls', urls } : { kind: 'embedded' },
  gatewayPort: env.PORT,
  subgraphPorts: 'default',
  nodeEnv: env.NODE_ENV,
  logger,
});
const demo = env.NO_DEMO ? null : await loadDemoData(supergraph.gatewayUrl);
const seconds = ((performance.now() - started) / 1000).toFixed(1);

const sandbox = `http://localhost:${supergraph.gateway.port}`;
process.stdout.write(
  [
    '',
    `  Supergraph ready in ${seconds} s — ${Object.keys(supergraph.subgraphs).join(', ')} + gateway`,
    `  Apollo Sandbox:  ${sandbox}`,
    `  GraphQL:         ${sandbox}/graphql`,
    `  Databases:       ${anyUrl ? 'from *_DATABASE_URL' : 'embedded PGlite in .data/'}`,
    ...(demo
      ? [`  Demo account:    ${DEMO_USER.username} / ${DEMO_USER.password}${demo.created ? ' (created)' : ''}`]
      : []),
    '  Ctrl-C stops.',
    '',
  ].join('\n') + '\n',
);

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    process.stdout.write('\nStopping…\n');
    void supergraph.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  });
}
