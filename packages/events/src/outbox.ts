import type { EventEnvelope } from './envelope.js';

/**
 * Anything that can run a parameterised statement inside the caller's transaction:
 * a Prisma interactive-transaction client (`tx`) or a pg client after BEGIN.
 */
export type OutboxWriter =
  | { $executeRawUnsafe(query: string, ...values: unknown[]): Promise<number> }
  | { query(text: string, values?: unknown[]): Promise<unknown> };

const INSERT = `
INSERT INTO "outbox_events" ("eventId", "eventType", "aggregateType", "aggregateId", "version", "occurredAt", "data")
SELECT $1::uuid, $2::varchar, $3::varchar, $4::varchar,
       COALESCE($5::int, (SELECT COALESCE(MAX("version"), 0) + 1 FROM "outbox_events" WHERE "aggregateType" = $3::varchar AND "aggregateId" = $4::varchar)),
       $6::timestamptz, $7::jsonb`;

/**
 * Appends an event to the outbox *inside the caller's transaction*: the event exists if
 * and only if the change it describes was committed. The relay publishes it later.
 * Without an explicit version, the event gets the aggregate's next version. Writers of one
 * aggregate normally serialise on its row (they update it in the same transaction); where
 * they do not, the unique (aggregate, version) index turns a race into a failed, retryable
 * transaction instead of two events claiming the same version.
 */
export async function publish(tx: OutboxWriter, event: Omit<EventEnvelope, 'version'> & { version?: number }): Promise<void> {
  const values = [
    event.eventId,
    event.eventType,
    event.aggregateType,
    event.aggregateId,
    event.version ?? null,
    event.occurredAt,
    JSON.stringify(event.data ?? null),
  ];
  if ('$executeRawUnsafe' in tx) await tx.$executeRawUnsafe(INSERT, ...values);
  else await tx.query(INSERT, values);
}
