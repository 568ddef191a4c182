-- CreateEnum
CREATE TYPE "SagaStatus" AS ENUM ('RUNNING', 'WAITING', 'COMPENSATING', 'COMPLETED', 'FAILED');

-- CreateTable
CREATE TABLE "outbox_events" (
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

-- CreateTable
CREATE TABLE "inbox_events" (
    "consumer" VARCHAR(100) NOT NULL,
    "eventId" UUID NOT NULL,
    "eventType" VARCHAR(100) NOT NULL,
    "handledAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "inbox_events_pkey" PRIMARY KEY ("consumer","eventId")
);

-- CreateTable
CREATE TABLE "saga_instances" (
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

-- CreateTable
CREATE TABLE "account_deletions" (
    "userId" UUID NOT NULL,
    "receiptHash" CHAR(64) NOT NULL,
    "requestedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "completedAt" TIMESTAMPTZ(3),

    CONSTRAINT "account_deletions_pkey" PRIMARY KEY ("userId")
);

-- CreateTable
CREATE TABLE "account_deletion_domains" (
    "userId" UUID NOT NULL,
    "domain" VARCHAR(40) NOT NULL,
    "purgedAt" TIMESTAMPTZ(3),
    "rowsAffected" INTEGER,

    CONSTRAINT "account_deletion_domains_pkey" PRIMARY KEY ("userId","domain")
);

-- CreateIndex
CREATE UNIQUE INDEX "outbox_events_eventId_key" ON "outbox_events"("eventId");

-- CreateIndex
CREATE INDEX "outbox_events_publishedAt_id_idx" ON "outbox_events"("publishedAt", "id");

-- CreateIndex
CREATE UNIQUE INDEX "outbox_events_aggregateType_aggregateId_version_key" ON "outbox_events"("aggregateType", "aggregateId", "version");

-- CreateIndex
CREATE UNIQUE INDEX "saga_instances_key_key" ON "saga_instances"("key");

-- CreateIndex
CREATE INDEX "saga_instances_status_nextRunAt_idx" ON "saga_instances"("status", "nextRunAt");

-- CreateIndex
CREATE UNIQUE INDEX "account_deletions_receiptHash_key" ON "account_deletions"("receiptHash");

-- AddForeignKey
ALTER TABLE "account_deletion_domains" ADD CONSTRAINT "account_deletion_domains_userId_fkey" FOREIGN KEY ("userId") REFERENCES "account_deletions"("userId") ON DELETE CASCADE ON UPDATE CASCADE;
