import { randomUUID } from 'node:crypto';
import type { Viewer } from '@calos/auth';
import { migrateUp, migrationsDir } from '@calos/db';
import { MemoryTransport, type EventEnvelope } from '@calos/events';
import { createLogger, parseEnv } from '@calos/kernel';
import { runOperation, scratchDatabase, type OperationResult, type ScratchDatabase } from '@calos/testkit';
import { createContext } from '../src/context.js';
import { hollowtownEnvSchema } from '../src/env.js';
import { startHollowtownService, type HollowtownService } from '../src/server.js';

/**
 * Layer 2: the hollowtown subgraph in-process, operations through `apollo.executeOperation`
 * with the same context the HTTP path builds, on a scratch database of its own.
 */
export type Result = OperationResult;

export interface Harness {
  service: HollowtownService;
  transport: MemoryTransport;
  gql(query: string, variables?: Record<string, unknown>, viewer?: Viewer | null): Promise<Result>;
  /** Like gql, but fails the test on any error and returns `data`. */
  ok(query: string, variables?: Record<string, unknown>, viewer?: Viewer | null): Promise<Record<string, any>>;
  /** The outbox rows of one event type (optionally of one aggregate), oldest first. */
  outbox(eventType: string, aggregateId?: string): Promise<EventEnvelope[]>;
  close(): Promise<void>;
}

/** A signed-in user as the gateway would forward them (no identity service needed). */
export const newViewer = (): Viewer => ({ userId: randomUUID(), sessionId: randomUUID(), deviceId: randomUUID(), roles: ['USER'] });

export async function startHarness(label: string): Promise<Harness> {
  const database: ScratchDatabase = await scratchDatabase(`hollowtown_${label}`);
  await migrateUp({ connectionString: database.url, dir: migrationsDir('hollowtown'), label: 'hollowtown' });
  const env = parseEnv('hollowtown', hollowtownEnvSchema, {
    NODE_ENV: 'test',
    PORT: '0',
    GATEWAY_SECRET: 'x'.repeat(40),
    SERVICE_TOKEN_SECRET: 's'.repeat(40),
    HOLLOWTOWN_DATABASE_URL: database.url,
  });
  const transport = new MemoryTransport();
  const service = await startHollowtownService({
    env,
    databaseUrl: database.url,
    transport,
    host: '127.0.0.1',
    logger: createLogger('hollowtown-test', process.env.TEST_LOG_LEVEL ?? 'silent'),
    verifyToken: async () => {
      throw new Error('unused: tests pass the viewer in the context');
    },
  });

  async function gql(query: string, variables: Record<string, unknown> = {}, viewer: Viewer | null = null): Promise<Result> {
    return runOperation(service.apollo, createContext(service.services, { requestId: randomUUID(), viewer, accessToken: null, userAgent: 'test' }), query, variables);
  }

  return {
    service,
    transport,
    gql,
    async ok(query, variables, viewer) {
      const result = await gql(query, variables, viewer);
      if (result.errors?.length) throw new Error(`unexpected errors: ${JSON.stringify(result.errors)}`);
      return result.data!;
    },
    async outbox(eventType, aggregateId) {
      const rows = await service.services.db.outboxEvent.findMany({
        where: { eventType, ...(aggregateId ? { aggregateId } : {}) },
        orderBy: { id: 'asc' },
      });
      return rows.map((r) => ({
        eventId: r.eventId,
        eventType: r.eventType,
        aggregateType: r.aggregateType,
        aggregateId: r.aggregateId,
        version: r.version,
        occurredAt: r.occurredAt.toISOString(),
        data: r.data,
      }));
    },
    async close() {
      await service.close();
      await database.drop();
    },
  };
}

// ---- operations ------------------------------------------------------------------------

export const SPOOKY_FIELDS = `id name spookinessLevel difficulty serves prepTimeMinutes tags imageUrl visibility instructions
  author { id } ingredients { name quantity unit note } createdAt`;

export const CREATE_SPOOKY = `mutation($input: CreateSpookyRecipeInput!) { createSpookyRecipe(input: $input) { ${SPOOKY_FIELDS} } }`;

export const EVENT_FIELDS = `id name type date location guestCount budgetCents spentCents remainingCents host { id } family { id }
  expenses { id description amountCents spentAt addedBy { id } }
  recipes { id source servings recipe { id } spookyRecipe { id name } addedBy { id } }`;

export const CREATE_EVENT = `mutation($input: CreateEventInput!) { createEvent(input: $input) { ${EVENT_FIELDS} } }`;

/** A valid spooky recipe input; override any field. */
export function spookyInput(overrides: Record<string, unknown> = {}) {
  return {
    name: 'Graveyard Dirt Cups',
    spookinessLevel: 4,
    difficulty: 'EASY',
    serves: 6,
    prepTimeMinutes: 20,
    ingredients: [
      { name: 'chocolate pudding mix', quantity: 1, unit: 'package', note: null },
      { name: 'whole milk', quantity: 2, unit: 'cup' },
      { name: 'chocolate sandwich cookies', quantity: 15, unit: null, note: 'crushed' },
      { name: 'gummy worms', quantity: 12, unit: null },
    ],
    instructions: ['Whisk the pudding mix into the cold milk and chill until set.', 'Layer the pudding with crushed cookies and top with worms.'],
    tags: ['halloween', 'kid-friendly'],
    visibility: 'PUBLIC',
    ...overrides,
  };
}

/** A valid event input; override any field. */
export function eventInput(overrides: Record<string, unknown> = {}) {
  return {
    name: 'Monster Mash',
    type: 'PARTY',
    date: '2026-10-31T18:00:00.000Z',
    location: 'The old mill',
    guestCount: 20,
    budgetCents: 25_000,
    ...overrides,
  };
}
