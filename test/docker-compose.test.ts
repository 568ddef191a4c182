/**
 * docker-compose.yml is the production shape (SPEC §6). No Docker engine runs in CI or
 * here, so this test checks what `docker compose up` would depend on: the services and
 * their start order, the per-domain databases, and that every app service's environment
 * is exactly what its own zod env schema accepts in production.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { generateSigningJwk } from '@calos/auth';
import { DOMAINS } from '@calos/db';
import { gatewayEnvSchema, readSupergraphConfig } from '@calos/gateway';
import { aiEnvSchema } from '@calos/ai';
import { familyEnvSchema } from '@calos/family';
import { hollowtownEnvSchema } from '@calos/hollowtown';
import { identityEnvSchema } from '@calos/identity';
import { mealplansEnvSchema } from '@calos/mealplans';
import { recipesEnvSchema } from '@calos/recipes';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

// ---------------------------------------------------------------------------
// The compose file, read the way Compose reads it (YAML merge keys resolved).

const stringOrList = z.union([z.string(), z.array(z.string())]);
const envValue = z.union([z.string(), z.number(), z.boolean(), z.null()]);
const serviceSchema = z
  .object({
    image: z.string().optional(),
    build: z.unknown().optional(),
    command: stringOrList.optional(),
    environment: z.union([z.record(z.string(), envValue), z.array(z.string())]).optional(),
    depends_on: z
      .union([z.array(z.string()), z.record(z.string(), z.object({ condition: z.string().default('service_started') }).loose())])
      .optional(),
    healthcheck: z.object({ test: stringOrList.optional(), disable: z.boolean().optional() }).loose().optional(),
    ports: z.array(z.union([z.string(), z.number(), z.object({ target: z.coerce.number() }).loose()])).optional(),
    volumes: z
      .array(z.union([z.string(), z.object({ type: z.string().optional(), source: z.string().optional(), target: z.string() }).loose()]))
      .optional(),
    restart: z.string().optional(),
  })
  .loose();
type Service = z.infer<typeof serviceSchema>;

const composeSchema = z
  .object({
    services: z.record(z.string(), serviceSchema),
    volumes: z.record(z.string(), z.unknown()).optional(),
  })
  .loose();

const composePath = join(root, 'docker-compose.yml');
const compose = composeSchema.parse(parseYaml(readFileSync(composePath, 'utf8'), { merge: true }));
const services = compose.services;

function service(name: string): Service {
  const found = services[name];
  if (!found) throw new Error(`docker-compose.yml has no service "${name}"`);
  return found;
}

function commandOf(svc: Service): string {
  return Array.isArray(svc.command) ? svc.command.join(' ') : (svc.command ?? '');
}

/** The environment as written (before interpolation), with list syntax turned into a map. */
function rawEnvironment(svc: Service): Record<string, string> {
  const env = svc.environment ?? {};
  const entries: Array<[string, string]> = Array.isArray(env)
    ? env.map((line) => {
        const eq = line.indexOf('=');
        return eq === -1 ? [line, `\${${line}}`] : [line.slice(0, eq), line.slice(eq + 1)];
      })
    : Object.entries(env).map(([key, value]) => [key, value === null ? `\${${key}}` : String(value)]);
  return Object.fromEntries(entries);
}

function dependsOn(svc: Service): Record<string, string> {
  const deps = svc.depends_on ?? {};
  if (Array.isArray(deps)) return Object.fromEntries(deps.map((d) => [d, 'service_started']));
  return Object.fromEntries(Object.entries(deps).map(([name, d]) => [name, d.condition]));
}

function containerPorts(svc: Service): number[] {
  return (svc.ports ?? []).map((p) => {
    if (typeof p === 'number') return p;
    if (typeof p === 'object') return p.target;
    // "4000", "4000:4000", "127.0.0.1:4000:4000", "4000:4000/tcp"
    const target = p.split('/')[0]!.split(':').at(-1)!;
    return Number(target);
  });
}

// ---------------------------------------------------------------------------
// Compose's variable interpolation: ${VAR}, ${VAR:-default}, ${VAR-default},
// ${VAR:?message}, ${VAR?message}, $VAR and $$.

class MissingVariableError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(message);
  }
}

function interpolate(text: string, vars: Record<string, string | undefined>): string {
  return text.replace(
    /\$(?:\$|\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g,
    (match, braced: string | undefined, op: string | undefined, arg: string | undefined, bare: string | undefined) => {
      if (match === '$$') return '$';
      const name = (braced ?? bare)!;
      const value = vars[name];
      const unsetOrEmpty = value === undefined || value === '';
      switch (op) {
        case ':-':
          return unsetOrEmpty ? (arg ?? '') : value;
        case '-':
          return value === undefined ? (arg ?? '') : value;
        case ':?':
        case '?':
          if (op === ':?' ? unsetOrEmpty : value === undefined) throw new MissingVariableError(name, `required variable ${name} is missing a value: ${arg}`);
          return value!;
        default:
          // Compose would substitute "" with only a warning; here that is a mistake.
          if (value === undefined) throw new MissingVariableError(name, `${name} is referenced without a default or a :? message`);
          return value;
      }
    },
  );
}

function environment(svc: Service, vars: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(rawEnvironment(svc)).map(([key, value]) => [key, interpolate(value, vars)]));
}

// What a user exports before `docker compose up`: only the variables without a default.
const userEnv: Record<string, string> = {
  GATEWAY_SECRET: 'test-gateway-secret-0123456789abcdefghijk', // 40 characters
  SERVICE_TOKEN_SECRET: 'test-service-secret-0123456789abcdefghijk',
  AI_KEY_ENCRYPTION_KEYS: `1:${Buffer.alloc(32, 7).toString('base64')}`,
  JWT_PRIVATE_JWKS: JSON.stringify([await generateSigningJwk('test')]),
};

// ---------------------------------------------------------------------------
// The services that run a process entry point, and the schema each one reads.

/** Domain subgraphs built on the shared domain service: own database, migrate job, events over Redis. */
const DOMAIN_SUBGRAPHS = [
  { service: 'ai', schema: aiEnvSchema },
  { service: 'recipes', schema: recipesEnvSchema },
  { service: 'mealplans', schema: mealplansEnvSchema },
  { service: 'hollowtown', schema: hollowtownEnvSchema },
  { service: 'family', schema: familyEnvSchema },
] as const;

const ENTRIES = [
  { service: 'identity', entry: 'subgraphs/identity/src/index.ts', schema: identityEnvSchema },
  ...DOMAIN_SUBGRAPHS.map((d) => ({ service: d.service, entry: `subgraphs/${d.service}/src/index.ts`, schema: d.schema })),
  { service: 'gateway', entry: 'gateway/src/index.ts', schema: gatewayEnvSchema },
] as const;

function declaredKeys(schema: z.ZodType): string[] {
  // Refined objects (.superRefine) are still ZodObjects in zod 4; anything else would make
  // the "no undeclared variables" check vacuous, so it fails loudly instead.
  if (!(schema instanceof z.ZodObject)) throw new Error('env schema is not a zod object; cannot read its declared keys');
  return Object.keys(schema.shape);
}

function parsedEnv(name: string): Record<string, unknown> {
  const known = ENTRIES.find((e) => e.service === name);
  if (!known) throw new Error(`no env schema known for ${name}`);
  return known.schema.parse(environment(service(name), userEnv));
}

const MIGRATE_JOBS = ['identity-migrate', ...DOMAIN_SUBGRAPHS.map((d) => `${d.service}-migrate`)];
const APP_SERVICES = [...MIGRATE_JOBS, 'identity', ...DOMAIN_SUBGRAPHS.map((d) => d.service), 'gateway'];
const EXPECTED_SERVICES = ['postgres', 'redis', 'ollama', ...APP_SERVICES];

describe('docker-compose.yml', () => {
  it('has the production services', () => {
    expect(Object.keys(services)).toEqual(expect.arrayContaining(EXPECTED_SERVICES));
    expect(service('postgres').image).toBe('postgres:16');
    expect(service('redis').image).toBe('redis:7-alpine');
    expect(service('ollama').image).toMatch(/^ollama\/ollama(:|$)/);
    expect(containerPorts(service('ollama'))).toContain(11434);
  });

  it('builds every app service from the one Dockerfile', () => {
    expect(existsSync(join(root, 'Dockerfile'))).toBe(true);
    const [first, ...rest] = APP_SERVICES.map((name) => service(name));
    expect(first!.build).toBeDefined();
    for (const svc of rest) {
      expect(svc.build).toEqual(first!.build);
      expect(svc.image).toEqual(first!.image);
    }
  });

  it('declares every named volume it mounts', () => {
    const declared = Object.keys(compose.volumes ?? {});
    for (const [name, svc] of Object.entries(services)) {
      for (const volume of svc.volumes ?? []) {
        const source = typeof volume === 'string' ? (volume.includes(':') ? volume.split(':')[0]! : '') : (volume.source ?? '');
        const isNamed = source !== '' && !source.startsWith('.') && !source.startsWith('/') && !source.startsWith('~');
        if (isNamed) expect(declared, `${name} mounts volume ${source}`).toContain(source);
      }
    }
    for (const [name, target] of [
      ['postgres', '/var/lib/postgresql/data'],
      ['ollama', '/root/.ollama'],
    ] as const) {
      const mount = (service(name).volumes ?? []).find((v) => (typeof v === 'string' ? v.split(':')[1] : v.target) === target);
      expect(mount, `${name} keeps ${target} in a volume`).toBeDefined();
    }
  });

  describe('postgres', () => {
    const mount = (service('postgres').volumes ?? [])
      .map((v) => (typeof v === 'string' ? { source: v.split(':')[0]!, target: v.split(':')[1]! } : { source: v.source ?? '', target: v.target }))
      .find((v) => v.target.startsWith('/docker-entrypoint-initdb.d/'));

    it('mounts docker/postgres/init-databases.sql as an init script', () => {
      expect(mount).toBeDefined();
      expect(resolve(root, mount!.source)).toBe(join(root, 'docker/postgres/init-databases.sql'));
      expect(mount!.target).toMatch(/\.sql$/);
      expect(existsSync(resolve(root, mount!.source))).toBe(true);
    });

    it('creates exactly one database per domain', () => {
      const sql = readFileSync(resolve(root, mount!.source), 'utf8').replace(/--.*$/gm, '');
      const created = [...sql.matchAll(/CREATE\s+DATABASE\s+"?([A-Za-z0-9_]+)"?/gi)].map((m) => m[1]);
      const expected = Object.values(DOMAINS).map((d) => d.database);
      expect(created).toHaveLength(expected.length); // no duplicates
      expect([...created].sort()).toEqual([...expected].sort());
    });
  });

  for (const { service: name, entry, schema } of ENTRIES) describe(`${name}: entry point and environment`, () => {
    it(`runs ${entry} with tsx`, () => {
      expect(existsSync(join(root, entry))).toBe(true);
      const command = commandOf(service(name));
      expect(command).toMatch(/\btsx\b/);
      expect(command.split(/\s+/)).toContain(entry);
      // No other service runs the same entry point.
      const runners = Object.entries(services).filter(([, svc]) => commandOf(svc).split(/\s+/).includes(entry));
      expect(runners.map(([n]) => n)).toEqual([name]);
    });

    it('has an environment its env schema accepts in production', () => {
      const env = environment(service(name), userEnv);
      const result = schema.safeParse(env);
      expect(result.success ? [] : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`)).toEqual([]);
      expect((result.data as Record<string, unknown>).NODE_ENV).toBe('production');
    });

    it('sets no variable its env schema does not declare', () => {
      const declared = declaredKeys(schema);
      expect(declared.length).toBeGreaterThan(0);
      const undeclared = Object.keys(rawEnvironment(service(name))).filter((key) => !declared.includes(key));
      expect(undeclared).toEqual([]);
    });

    it('refuses to start without the secrets', () => {
      const raw = Object.values(rawEnvironment(service(name))).join('\n');
      expect(raw).toMatch(/\$\{GATEWAY_SECRET:\?[^}]+\}/);
      expect(() => environment(service(name), { ...userEnv, GATEWAY_SECRET: undefined })).toThrow(MissingVariableError);
      expect(() => environment(service(name), { ...userEnv, GATEWAY_SECRET: '' })).toThrow(MissingVariableError);
    });

    it('publishes and health-checks the port it listens on', () => {
      const port = parsedEnv(name).PORT as number;
      expect(containerPorts(service(name))).toContain(port);
      const test = service(name).healthcheck?.test;
      const check = Array.isArray(test) ? test.join(' ') : (test ?? '');
      expect(check).toMatch(new RegExp(`:${port}/health\\b`));
    });
  });

  describe('identity', () => {
    it('uses its own database on the postgres service and a real signing key', () => {
      const env = parsedEnv('identity');
      const url = new URL(env.IDENTITY_DATABASE_URL as string);
      expect(url.protocol).toMatch(/^postgres(ql)?:$/);
      expect(url.hostname).toBe('postgres');
      expect(url.port || '5432').toBe('5432');
      expect(url.pathname).toBe(`/${DOMAINS.identity.database}`);

      const pg = environment(service('postgres'), userEnv);
      expect(decodeURIComponent(url.username)).toBe(pg.POSTGRES_USER ?? 'postgres');
      expect(decodeURIComponent(url.password)).toBe(pg.POSTGRES_PASSWORD);

      expect(env.JWT_PRIVATE_JWKS).toBe(userEnv.JWT_PRIVATE_JWKS);
      expect(Object.values(rawEnvironment(service('identity'))).join('\n')).toMatch(/\$\{JWT_PRIVATE_JWKS:\?[^}]+\}/);
      expect(() => environment(service('identity'), { ...userEnv, JWT_PRIVATE_JWKS: undefined })).toThrow(MissingVariableError);
    });

    it('is migrated by identity-migrate against the same database', () => {
      const migrate = service('identity-migrate');
      expect(commandOf(migrate)).toMatch(/^npm run migrate:identity$/);
      const env = environment(migrate, userEnv);
      expect(env.IDENTITY_DATABASE_URL).toBe(environment(service('identity'), userEnv).IDENTITY_DATABASE_URL);
      expect(env.NODE_ENV).toBe('production');
      // A one-shot: restarting it after it exits would loop forever.
      expect(migrate.restart ?? 'no').toBe('no');
    });
  });

  for (const { service: name } of DOMAIN_SUBGRAPHS) describe(name, () => {
    const dbVar = `${name.toUpperCase()}_DATABASE_URL`;

    it('uses its own database on the postgres service, Redis for events and identity for keys', () => {
      const env = parsedEnv(name);
      const url = new URL(env[dbVar] as string);
      expect(url.hostname).toBe('postgres');
      expect(url.pathname).toBe(`/${DOMAINS[name].database}`);
      expect(env.REDIS_URL).toBe('redis://redis:6379');
      expect(new URL(env.IDENTITY_JWKS_URL as string).hostname).toBe('identity');
      for (const key of ['GATEWAY_SECRET', 'JWT_ISSUER', 'JWT_AUDIENCE']) expect(env[key], key).toBe(parsedEnv('identity')[key]);
    });

    it(`is migrated by ${name}-migrate against the same database, and identity waits for its purge`, () => {
      const migrate = service(`${name}-migrate`);
      expect(commandOf(migrate)).toBe(`npm run migrate:${name}`);
      expect(environment(migrate, userEnv)[dbVar]).toBe(parsedEnv(name)[dbVar]);
      expect(migrate.restart ?? 'no').toBe('no');
      expect(parsedEnv('identity').ACCOUNT_DELETION_DOMAINS).toContain(name);
    });
  });

  describe('gateway', () => {
    const gatewayEnv = () => parsedEnv('gateway');

    it('routes every subgraph in gateway/supergraph.yaml to its compose service', () => {
      const env = gatewayEnv();
      for (const subgraph of readSupergraphConfig()) {
        const key = `${subgraph.name.toUpperCase()}_SUBGRAPH_URL`;
        expect(env[key], `${key} is set on the gateway`).toBeTypeOf('string');
      }
    });

    it('points its subgraph and JWKS URLs at existing services on the ports they listen on', () => {
      const env = gatewayEnv();
      const urlKeys = Object.keys(env).filter((k) => /_SUBGRAPH_URL$/.test(k) || k === 'IDENTITY_JWKS_URL');
      expect(urlKeys).toEqual(expect.arrayContaining(['IDENTITY_SUBGRAPH_URL', 'IDENTITY_JWKS_URL']));
      for (const key of urlKeys) {
        const url = new URL(env[key] as string);
        const target = url.hostname;
        expect(Object.keys(services), `${key} → ${url.href}`).toContain(target);
        const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
        expect(port, `${key} → ${url.href}`).toBe(parsedEnv(target).PORT);
        expect(dependsOn(service('gateway'))[target], `gateway waits for ${target}`).toBe('service_healthy');
      }
      expect(new URL(env.IDENTITY_SUBGRAPH_URL as string).pathname).toBe('/graphql');
      expect(new URL(env.IDENTITY_JWKS_URL as string).pathname).toBe('/.well-known/jwks.json');
    });

    it('shares the gateway secret, token issuer and audience with identity', () => {
      const gateway = gatewayEnv();
      const identity = parsedEnv('identity');
      for (const key of ['GATEWAY_SECRET', 'JWT_ISSUER', 'JWT_AUDIENCE']) expect(gateway[key], key).toBe(identity[key]);
    });
  });

  it('starts in order: postgres → migrations → identity → domain subgraphs → gateway', () => {
    for (const job of MIGRATE_JOBS) expect(dependsOn(service(job))).toEqual({ postgres: 'service_healthy' });
    expect(dependsOn(service('identity'))).toEqual({
      postgres: 'service_healthy',
      redis: 'service_healthy',
      'identity-migrate': 'service_completed_successfully',
    });
    for (const { service: name } of DOMAIN_SUBGRAPHS) {
      expect(dependsOn(service(name))).toEqual({
        postgres: 'service_healthy',
        redis: 'service_healthy',
        [`${name}-migrate`]: 'service_completed_successfully',
        identity: 'service_healthy',
      });
    }
    expect(dependsOn(service('gateway'))).toEqual(
      Object.fromEntries(['identity', ...DOMAIN_SUBGRAPHS.map((d) => d.service)].map((s) => [s, 'service_healthy'])),
    );
    for (const [name, svc] of Object.entries(services)) {
      for (const dep of Object.keys(dependsOn(svc))) expect(Object.keys(services), `${name} depends on ${dep}`).toContain(dep);
    }
  });

  it('health-checks every long-running service', () => {
    const oneShots = new Set(
      Object.values(services).flatMap((svc) =>
        Object.entries(dependsOn(svc))
          .filter(([, condition]) => condition === 'service_completed_successfully')
          .map(([dep]) => dep),
      ),
    );
    expect([...oneShots].sort()).toEqual([...MIGRATE_JOBS].sort());
    for (const [name, svc] of Object.entries(services)) {
      if (oneShots.has(name)) continue;
      expect(svc.healthcheck?.test, `${name} has a healthcheck`).toBeDefined();
      expect(svc.healthcheck?.disable ?? false).toBe(false);
    }
    // Whatever waits on service_healthy must have a healthcheck to wait for.
    for (const svc of Object.values(services)) {
      for (const [dep, condition] of Object.entries(dependsOn(svc))) {
        if (condition === 'service_healthy') expect(service(dep).healthcheck?.test, dep).toBeDefined();
      }
    }
  });
});
