/**
 * `npm run generate`: everything derived from a schema, in dependency order:
 *   1. a Prisma client per domain (prisma/<domain>/schema.prisma → subgraphs/<domain>/src/generated/prisma)
 *   2. the composed supergraph (gateway/supergraph.graphql, gateway/schema.graphql)
 *   3. GraphQL Code Generator (resolver types per subgraph, the typed client)
 *   4. the empty embedded-database template (so the first `npm start` skips initdb)
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { implementedDomains, prepareEmbeddedTemplate, prismaDir, repoRoot } from '@calos/db';

const bin = (name: string) => join(repoRoot, 'node_modules', '.bin', name);
// `prisma generate` does not use the schema engine, but the CLI insists on locating one and
// would download it; pointing at any existing file skips the download (offline machines, CI).
const env = { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? process.execPath, PRISMA_HIDE_UPDATE_MESSAGE: '1' };

for (const domain of implementedDomains()) {
  execFileSync(bin('prisma'), ['generate', '--config', join(prismaDir(domain), 'prisma.config.ts')], {
    cwd: prismaDir(domain),
    env,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  console.log(`prisma client: ${domain}`);
}
// In CI the committed supergraph must already be current: check instead of rewriting.
execFileSync(bin('tsx'), [join(repoRoot, 'scripts', 'compose.ts'), ...(process.env.CI ? ['--check'] : [])], { stdio: 'inherit' });
if (!existsSync(join(repoRoot, 'gateway', 'schema.graphql'))) throw new Error('composition produced no API schema');
execFileSync(bin('graphql-codegen'), ['--config', join(repoRoot, 'codegen.yml'), '--silent'], { stdio: 'inherit', cwd: repoRoot });
console.log('graphql codegen: resolver types + typed client');
console.log(`embedded PostgreSQL template: ${await prepareEmbeddedTemplate()}`);
