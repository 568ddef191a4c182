/**
 * `npm start`: the whole supergraph on one machine. With no environment it runs every
 * domain on an embedded PostgreSQL (PGlite) under .data/, migrates it, loads demo data
 * and serves Apollo Sandbox at http://localhost:4000. Given <DOMAIN>_DATABASE_URL it
 * uses those servers instead.
 *
 * The npm script sets METADATA_SERVER_DETECTION=none: @apollo/gateway's OpenTelemetry
 * dependency otherwise probes the Google Cloud metadata server at start-up, which on a
 * laptop (or a closed network) only prints a warning.
 */
import { ALL_DOMAINS, databaseUrlVar, type Domain } from '@calos/db';
import { createLogger, loadEnv } from '@calos/kernel';
import { DEMO_USER, loadDemoData, stackEnvSchema, startSupergraph, type StackEnv } from '@calos/stack';

const started = performance.now();
const env = loadEnv('start', stackEnvSchema);
const logger = createLogger('supergraph', env.LOG_LEVEL);
const urls: Partial<Record<Domain, string>> = {};
for (const domain of ALL_DOMAINS) {
  const url = env[databaseUrlVar(domain) as keyof StackEnv];
  if (typeof url === 'string') urls[domain] = url;
}
const anyUrl = Object.keys(urls).length > 0;

const supergraph = await startSupergraph({
  database: anyUrl ? { kind: 'urls', urls } : { kind: 'embedded', ...(env.DATA_DIR ? { dataRoot: env.DATA_DIR } : {}) },
  gatewayPort: env.PORT,
  subgraphPorts: env.SUBGRAPH_PORTS === 'fixed' ? 'default' : 'random',
  nodeEnv: env.NODE_ENV,
  logger,
  ...(env.REDIS_URL ? { redisUrl: env.REDIS_URL } : {}),
  ...(env.OLLAMA_HOSTS ? { env: { ai: { OLLAMA_HOSTS: env.OLLAMA_HOSTS } } } : {}),
});
const running = (name: string) => name in supergraph.subgraphs;
const demo = env.NO_DEMO
  ? null
  : await loadDemoData(supergraph.gatewayUrl, { kitchen: running('recipes') && running('mealplans'), family: running('family'), hollowtown: running('hollowtown') });
const seconds = ((performance.now() - started) / 1000).toFixed(1);

const sandbox = `http://localhost:${supergraph.gateway.port}`;
process.stdout.write(
  [
    '',
    `  Supergraph ready in ${seconds} s — ${Object.keys(supergraph.subgraphs).join(', ')} + gateway`,
    `  Apollo Sandbox:  ${sandbox}`,
    `  GraphQL:         ${sandbox}/graphql`,
    `  Databases:       ${anyUrl ? 'from *_DATABASE_URL' : `embedded PGlite in ${env.DATA_DIR ?? '.data/'}`}`,
    `  AI pool:         ${env.OLLAMA_HOSTS ? `Ollama at ${env.OLLAMA_HOSTS}` : 'none (set OLLAMA_HOSTS; AI features answer AI_UNAVAILABLE)'}`,
    `  Events:          ${env.REDIS_URL ? `Redis Streams at ${env.REDIS_URL}` : 'in-process bus (set REDIS_URL for Redis Streams)'}`,
    ...(demo
      ? [
          `  Demo account:    ${DEMO_USER.username} / ${DEMO_USER.password}${demo.created ? ' (created)' : ''}`,
          ...(demo.recipes ? [`  Demo kitchen:    ${demo.recipes} recipes, a stocked pantry, next week's meal plan and its shopping list`] : []),
          ...(demo.family.length ? [`  Demo family:     ${demo.family.join(', ')} (same password)`] : []),
          ...(demo.spookyRecipes ? [`  Hollowtown:      ${demo.spookyRecipes} spooky recipes, costumes, and the family's Halloween party with its shopping list`] : []),
        ]
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
