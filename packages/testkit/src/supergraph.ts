import { ALL_DOMAINS, DOMAINS, type Domain } from '@calos/db';
import { createLogger } from '@calos/kernel';
import { inject } from 'vitest';
import { startSupergraph, type Supergraph, type SupergraphOptions } from '@calos/stack';
import { gql, must, type GqlOptions, type GqlResponse } from './http.js';
import { databaseUrl, testDatabaseEngine, uniqueSuffix } from './postgres.js';
import { redisReachable, TEST_REDIS_URL } from './redis.js';

/**
 * `<domain>_test` on the real server; global setup recreates and migrates them.
 * `TEST_DATABASE_SUFFIX` gives a second concurrent test run databases of its own.
 */
export const testDatabaseName = (domain: Domain) => `${DOMAINS[domain].database}_test${testDatabaseSuffix()}`;

function testDatabaseSuffix(): string {
  const suffix = process.env.TEST_DATABASE_SUFFIX ?? '';
  if (!/^[a-z0-9_]{0,20}$/.test(suffix)) throw new Error('TEST_DATABASE_SUFFIX may only hold a-z, 0-9 and _ (at most 20)');
  return suffix;
}

export interface TestUser {
  id: string;
  username: string;
  email: string;
  password: string;
  accessToken: string;
  refreshToken: string;
  deviceId: string;
  /** A GraphQL call through the gateway as this user. */
  gql<T = Record<string, any>>(query: string, variables?: Record<string, unknown>, options?: GqlOptions): Promise<GqlResponse<T>>;
}

export interface SignUpOptions {
  username?: string;
  password?: string;
  displayName?: string;
}

export interface TestSupergraph extends Supergraph {
  engine: 'postgres' | 'pglite';
  /** An anonymous GraphQL call through the gateway. */
  gql<T = Record<string, any>>(query: string, variables?: Record<string, unknown>, options?: GqlOptions): Promise<GqlResponse<T>>;
  /** Registers a brand-new user (unique name) and returns it signed in. */
  signUp(options?: SignUpOptions): Promise<TestUser>;
  /** SQL statements each subgraph has sent since the last reset. */
  statementCounts(): Record<string, number>;
  resetStatementCounts(): void;
}

const REGISTER = `mutation Register($input: RegisterInput!) {
  register(input: $input) { accessToken refreshToken user { id username } device { id } }
}`;

/**
 * The real supergraph for a test file: real PostgreSQL when reachable (PGlite otherwise),
 * every subgraph and the gateway on free ports, all in this process.
 */
export interface TestSupergraphOptions extends Partial<SupergraphOptions> {
  /**
   * Databases of its own (the others use the shared `<database>_test`). Give every domain one
   * and set `isolated`: a stack with its own databases needs its own event namespace.
   */
  databases?: Partial<Record<Domain, string>>;
  isolated?: boolean;
}

/** One event namespace per test run (see global-setup.ts); a fresh one outside vitest's runner. */
function runPrefix(): string {
  try {
    const prefix = inject('redisKeyPrefix');
    if (prefix) return prefix;
  } catch {
    // not inside a vitest worker (benchmarks)
  }
  return `test:${uniqueSuffix()}:`;
}

export async function startTestSupergraph({ databases, isolated, ...options }: TestSupergraphOptions = {}): Promise<TestSupergraph> {
  const engine = await testDatabaseEngine();
  const redisUrl = (await redisReachable()) ? TEST_REDIS_URL : undefined;
  const supergraph = await startSupergraph({
    ...(redisUrl ? { redisUrl, redisKeyPrefix: isolated ? `test:${uniqueSuffix()}:` : runPrefix() } : {}),
    database:
      engine === 'postgres'
        ? { kind: 'urls', urls: { ...Object.fromEntries(ALL_DOMAINS.map((d) => [d, databaseUrl(testDatabaseName(d))])), ...databases } }
        : databases
          ? { kind: 'urls', urls: databases, inMemoryOthers: true }
          : { kind: 'in-memory' },
    gatewayPort: 0,
    subgraphPorts: 'random',
    nodeEnv: 'test',
    logger: createLogger('test', process.env.TEST_LOG_LEVEL ?? 'silent'),
    ...options,
  });
  const call = <T>(query: string, variables?: Record<string, unknown>, opts?: GqlOptions) =>
    gql<T>(supergraph.gatewayUrl, query, variables, opts);
  return {
    ...supergraph,
    engine,
    gql: call,
    async signUp(opts = {}) {
      const username = opts.username ?? `user_${uniqueSuffix()}`;
      const email = `${username}@example.test`;
      const password = opts.password ?? `pw-${uniqueSuffix()}-${uniqueSuffix()}`;
      const res = await call<{ register: { accessToken: string; refreshToken: string; user: { id: string }; device: { id: string } } }>(
        REGISTER,
        { input: { username, email, password, displayName: opts.displayName ?? username, deviceName: 'test' } },
      );
      if (!res.data?.register) throw new Error(`signUp failed: ${JSON.stringify(res.errors)}`);
      const { accessToken, refreshToken, user, device } = res.data.register;
      return {
        id: user.id,
        username,
        email,
        password,
        accessToken,
        refreshToken,
        deviceId: device.id,
        gql: (query, variables, o) => call(query, variables, { token: accessToken, ...o }),
      };
    },
    statementCounts: () => Object.fromEntries(Object.values(supergraph.subgraphs).map((s) => [s.name, s.statements.count])),
    resetStatementCounts: () => {
      for (const s of Object.values(supergraph.subgraphs)) s.statements.reset();
    },
  };
}

/** `admin` invites `user` into the family with `role` and `user` accepts: a member, as through the app. */
export async function joinFamily(admin: TestUser, user: TestUser, familyId: string, role: 'ADMIN' | 'PARENT' | 'CHILD'): Promise<void> {
  const invite = await must(
    admin.gql<{ inviteFamilyMember: { token: string } }>(
      `mutation($f: ID!, $l: String!, $r: FamilyRole!) { inviteFamilyMember(familyId: $f, login: $l, role: $r) { token } }`,
      { f: familyId, l: user.username, r: role },
    ),
  );
  await must(user.gql(`mutation($t: String!) { acceptFamilyInvitation(token: $t) { id } }`, { t: invite.inviteFamilyMember.token }));
}

