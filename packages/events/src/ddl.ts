/**
 * The tables the event system needs in a domain database, exactly as the domain
 * migrations create them (every prisma/<domain>/migrations has them, modelled in its
 * schema.prisma). Exported for tools and tests that build a database without a domain.
 */
export const EVENT_TABLES_DDL = `
CREATE TABLE IF NOT EXISTS "outbox_events" (
    "id" BIGSERIAL NOT NULL,
    "eventId" UUID NOT NULL,
    "eventType" VARCHAR(100) NOT NULL,
    "aggregateType" VARCHAR(100) NOT NULL,
    "aggregateId" VARCHAR(100) NOT NULL,
    "version" INTEGER NOT NULL,
    "occurredAt" TIMESTAMPTZ(3) NOT NULL,
    "data" JSONB NOT NULL,
    "publishedAt" TIMESTAMPTZ(3),
    CONSTRAINT "outbox_events_pkey" PRIMARY KEY ("id")
);
CREATE TABLE IF NOT EXISTS "inbox_events" (
    "consumer" VARCHAR(100) NOT NULL,
    "eventId" UUID NOT NULL,
    "eventType" VARCHAR(100) NOT NULL,
    "handledAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "inbox_events_pkey" PRIMARY KEY ("consumer","eventId")
);
CREATE UNIQUE INDEX IF NOT EXISTS "outbox_events_eventId_key" ON "outbox_events"("eventId");
CREATE INDEX IF NOT EXISTS "outbox_events_publishedAt_id_idx" ON "outbox_events"("publishedAt", "id");
CREATE UNIQUE INDEX IF NOT EXISTS "outbox_events_aggregateType_aggregateId_version_key" ON "outbox_events"("aggregateType", "aggregateId", "version");
`;

/** The saga state table, exactly as the domain migrations create it. */
export const SAGA_TABLE_DDL = `
DO $$ BEGIN
  CREATE TYPE "SagaStatus" AS ENUM ('RUNNING', 'WAITING', 'COMPENSATING', 'COMPLETED', 'FAILED');
EXCEPTION WHEN duplicate_object THEN NULL; END $$;
CREATE TABLE IF NOT EXISTS "saga_instances" (
    "id" UUID NOT NULL,
    "key" VARCHAR(200) NOT NULL,
    "type" VARCHAR(100) NOT NULL,
    "status" "SagaStatus" NOT NULL DEFAULT 'RUNNING',
    "step" INTEGER NOT NULL DEFAULT 0,
    "state" JSONB NOT NULL,
    "error" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextRunAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lockedBy" VARCHAR(100),
    "lockedUntil" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "saga_instances_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX IF NOT EXISTS "saga_instances_key_key" ON "saga_instances"("key");
CREATE INDEX IF NOT EXISTS "saga_instances_status_nextRunAt_idx" ON "saga_instances"("status", "nextRunAt");
`;
