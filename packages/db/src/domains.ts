import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (packages/db/src → ../../..). */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/**
 * Every domain owns one PostgreSQL database (SPEC §2). The order is the order
 * `migrate:all` applies them in: identity first.
 */
export const DOMAINS = {
  identity: { database: 'calos_identity' },
  ai: { database: 'ai_db' },
  recipes: { database: 'recipes_db' },
  mealplans: { database: 'mealplans_db' },
  hollowtown: { database: 'hollowtown_db' },
  family: { database: 'family_db' },
} as const;

export type Domain = keyof typeof DOMAINS;
export const ALL_DOMAINS = Object.keys(DOMAINS) as Domain[];

export function isDomain(value: string): value is Domain {
  return Object.hasOwn(DOMAINS, value);
}

/** `IDENTITY_DATABASE_URL`, `MEALPLANS_DATABASE_URL`, … */
export function databaseUrlVar(domain: Domain): string {
  return `${domain.toUpperCase()}_DATABASE_URL`;
}

export function prismaDir(domain: Domain): string {
  return join(repoRoot, 'prisma', domain);
}

export function migrationsDir(domain: Domain): string {
  return join(prismaDir(domain), 'migrations');
}

export function schemaPath(domain: Domain): string {
  return join(prismaDir(domain), 'schema.prisma');
}

/** Domains that have a Prisma schema in this checkout (the others arrive with their subgraphs). */
export function implementedDomains(): Domain[] {
  return ALL_DOMAINS.filter((d) => existsSync(schemaPath(d)));
}

/** Where the embedded (PGlite) database of a domain keeps its files. */
export function embeddedDataDir(domain: Domain, root = join(repoRoot, '.data')): string {
  return join(root, domain);
}
