import { defineConfig } from 'prisma/config';

// Used by the Prisma CLI (generate, `migrate status`). Migrations are applied by
// packages/db's runner, which records them in _prisma_migrations exactly as Prisma does.
export default defineConfig({
  schema: 'schema.prisma',
  migrations: { path: 'migrations' },
  datasource: {
    url: process.env.AI_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/ai_db',
  },
});
