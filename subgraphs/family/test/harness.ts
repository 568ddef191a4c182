import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll } from 'vitest';
import type { Viewer } from '@calos/auth';
import { migrateUp, migrationsDir } from '@calos/db';
import { MemoryTransport } from '@calos/events';
import { createLogger, parseEnv } from '@calos/kernel';
import { runOperation, scratchDatabase, type OperationResult, type ScratchDatabase } from '@calos/testkit';
import { createContext } from '../src/context.js';
import { familyEnvSchema } from '../src/env.js';
import { startFamilyService, type FamilyService } from '../src/server.js';

/**
 * Layer 2: the family subgraph in-process on a scratch database of its own, operations
 * through `apollo.executeOperation` with the context the HTTP path builds. Viewers are
 * plain objects (what a verified access token yields): identity is not needed here.
 */

export type Result = OperationResult;

export type Role = 'ADMIN' | 'PARENT' | 'CHILD';

export const newViewer = (): Viewer => ({ userId: randomUUID(), sessionId: randomUUID(), deviceId: randomUUID(), roles: ['USER'] });

export const CREATE_FAMILY = `mutation($input: CreateFamilyInput!) { createFamily(input: $input) { id name viewerRole createdBy { id } members { user { id } role joinedAt } } }`;
export const INVITE = `mutation($familyId: ID!, $login: String!, $role: FamilyRole!) {
  inviteFamilyMember(familyId: $familyId, login: $login, role: $role) { token expiresAt invitation { id familyId role login expiresAt invitedBy { id } } }
}`;
export const ACCEPT = `mutation($token: String!) { acceptFamilyInvitation(token: $token) { id name viewerRole members { user { id } role } } }`;

export function useFamilyService(label: string) {
  let database: ScratchDatabase | undefined;
  let service: FamilyService | undefined;

  beforeAll(async () => {
    database = await scratchDatabase(label);
    await migrateUp({ connectionString: database.url, dir: migrationsDir('family'), label: 'family' });
    const env = parseEnv('family', familyEnvSchema, {
      NODE_ENV: 'test',
      PORT: '0',
      GATEWAY_SECRET: 'x'.repeat(40),
      SERVICE_TOKEN_SECRET: 's'.repeat(40),
      FAMILY_DATABASE_URL: database.url,
    });
    service = await startFamilyService({
      env,
      databaseUrl: database.url,
      transport: new MemoryTransport(),
      verifyToken: async () => {
        throw new Error('unused: tests pass their viewer in the context');
      },
      host: '127.0.0.1',
      logger: createLogger('family-test', process.env.TEST_LOG_LEVEL ?? 'silent'),
    });
  });

  afterAll(async () => {
    await service?.close();
    await database?.drop();
  });

  const running = (): FamilyService => {
    if (!service) throw new Error('the family service has not started');
    return service;
  };

  async function gql(query: string, variables: Record<string, unknown> = {}, viewer: Viewer | null = null): Promise<Result> {
    const s = running();
    return runOperation(s.apollo, createContext(s.services, { requestId: randomUUID(), viewer, accessToken: null, userAgent: 'test' }), query, variables);
  }

  /** Runs an operation that must succeed and returns its data. */
  async function ok(query: string, variables: Record<string, unknown> = {}, viewer: Viewer | null = null): Promise<Record<string, any>> {
    const result = await gql(query, variables, viewer);
    if (result.errors?.length || !result.data) throw new Error(`unexpected errors: ${JSON.stringify(result.errors)}`);
    return result.data;
  }

  async function createFamily(admin: Viewer, name = 'The Testers'): Promise<string> {
    const data = await ok(CREATE_FAMILY, { input: { name } }, admin);
    return data.createFamily.id as string;
  }

  /** A new user who joined the family with `role` through an invitation from `admin`. */
  async function join(familyId: string, admin: Viewer, role: Role, viewer: Viewer = newViewer()): Promise<Viewer> {
    const invite = await ok(INVITE, { familyId, login: `user_${viewer.userId.slice(0, 8)}`, role }, admin);
    await ok(ACCEPT, { token: invite.inviteFamilyMember.token }, viewer);
    return viewer;
  }

  /** A family with one member of each role, and someone who is not in it. */
  async function household() {
    const admin = newViewer();
    const familyId = await createFamily(admin);
    const parent = await join(familyId, admin, 'PARENT');
    const child = await join(familyId, admin, 'CHILD');
    return { familyId, admin, parent, child, outsider: newViewer() };
  }

  /** The family's (or user's) events in the outbox, oldest first. */
  async function outbox(aggregateId: string) {
    const { rows } = await running().services.database.pool.query<{ eventType: string; aggregateType: string; version: number; data: Record<string, unknown> }>(
      `SELECT "eventType", "aggregateType", "version", "data" FROM "outbox_events" WHERE "aggregateId" = $1 ORDER BY "version"`,
      [aggregateId],
    );
    return rows;
  }

  return {
    get service() {
      return running();
    },
    gql,
    ok,
    createFamily,
    join,
    household,
    outbox,
  };
}
