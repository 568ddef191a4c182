-- CreateEnum
CREATE TYPE "ApiKeyProvider" AS ENUM ('OPENAI', 'ANTHROPIC', 'DEEPSEEK');

-- CreateEnum
CREATE TYPE "GenerationStatus" AS ENUM ('PENDING', 'GENERATED', 'PERSISTED', 'SETTLED', 'RELEASED');

-- CreateEnum
CREATE TYPE "AiOutcome" AS ENUM ('SUCCESS', 'INVALID_OUTPUT', 'PROVIDER_ERROR', 'UNAVAILABLE', 'RATE_LIMITED', 'INSUFFICIENT_CREDITS');

-- CreateTable
CREATE TABLE "api_keys" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "userId" UUID NOT NULL,
    "provider" "ApiKeyProvider" NOT NULL,
    "label" VARCHAR(80),
    "last4" VARCHAR(4) NOT NULL,
    "ciphertext" BYTEA NOT NULL,
    "iv" BYTEA NOT NULL,
    "authTag" BYTEA NOT NULL,
    "kekVersion" INTEGER NOT NULL,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "lastUsedAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "api_keys_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "model_preferences" (
    "userId" UUID NOT NULL,
    "model" VARCHAR(120) NOT NULL,
    "fallbackModel" VARCHAR(120),
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "model_preferences_pkey" PRIMARY KEY ("userId")
);

-- CreateTable
CREATE TABLE "ai_generations" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "userId" UUID NOT NULL,
    "domain" VARCHAR(32) NOT NULL,
    "feature" VARCHAR(64) NOT NULL,
    "idempotencyKey" VARCHAR(200) NOT NULL,
    "model" VARCHAR(120) NOT NULL,
    "provider" VARCHAR(32) NOT NULL,
    "status" "GenerationStatus" NOT NULL DEFAULT 'PENDING',
    "reservationId" UUID,
    "reservedCredits" INTEGER NOT NULL DEFAULT 0,
    "chargedCredits" INTEGER NOT NULL DEFAULT 0,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "content" TEXT,
    "promptTokens" INTEGER NOT NULL DEFAULT 0,
    "completionTokens" INTEGER NOT NULL DEFAULT 0,
    "expiresAt" TIMESTAMPTZ(3) NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ai_generations_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ai_usage" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "userId" UUID NOT NULL,
    "generationId" UUID,
    "domain" VARCHAR(32) NOT NULL,
    "feature" VARCHAR(64) NOT NULL,
    "provider" VARCHAR(32) NOT NULL,
    "model" VARCHAR(120) NOT NULL,
    "host" VARCHAR(200),
    "promptTokens" INTEGER NOT NULL DEFAULT 0,
    "completionTokens" INTEGER NOT NULL DEFAULT 0,
    "latencyMs" INTEGER NOT NULL DEFAULT 0,
    "credits" INTEGER NOT NULL DEFAULT 0,
    "outcome" "AiOutcome" NOT NULL,
    "errorCode" VARCHAR(64),
    "requestId" VARCHAR(64),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ai_usage_pkey" PRIMARY KEY ("id")
);

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

-- CreateIndex
CREATE INDEX "api_keys_userId_provider_idx" ON "api_keys"("userId", "provider");

-- CreateIndex
CREATE INDEX "api_keys_kekVersion_idx" ON "api_keys"("kekVersion");

-- CreateIndex
CREATE UNIQUE INDEX "ai_generations_userId_idempotencyKey_key" ON "ai_generations"("userId", "idempotencyKey");

-- CreateIndex
CREATE INDEX "ai_generations_status_expiresAt_idx" ON "ai_generations"("status", "expiresAt");

-- CreateIndex
CREATE INDEX "ai_usage_userId_createdAt_idx" ON "ai_usage"("userId", "createdAt");

-- CreateIndex
CREATE INDEX "ai_usage_generationId_idx" ON "ai_usage"("generationId");

-- CreateIndex
CREATE UNIQUE INDEX "outbox_events_eventId_key" ON "outbox_events"("eventId");

-- CreateIndex
CREATE INDEX "outbox_events_publishedAt_id_idx" ON "outbox_events"("publishedAt", "id");

-- CreateIndex
CREATE UNIQUE INDEX "outbox_events_aggregateType_aggregateId_version_key" ON "outbox_events"("aggregateType", "aggregateId", "version");
