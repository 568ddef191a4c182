-- CreateEnum
CREATE TYPE "Difficulty" AS ENUM ('EASY', 'MEDIUM', 'HARD', 'NIGHTMARE');

-- CreateEnum
CREATE TYPE "Visibility" AS ENUM ('PRIVATE', 'PUBLIC');

-- CreateEnum
CREATE TYPE "EventType" AS ENUM ('PARTY', 'HAUNTED_HOUSE', 'TRICK_OR_TREAT', 'OTHER');

-- CreateEnum
CREATE TYPE "RecipeSource" AS ENUM ('RECIPES', 'HOLLOWTOWN');

-- CreateTable
CREATE TABLE "spooky_recipes" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "authorId" UUID NOT NULL,
    "name" VARCHAR(200) NOT NULL,
    "spookinessLevel" INTEGER NOT NULL,
    "difficulty" "Difficulty" NOT NULL DEFAULT 'MEDIUM',
    "ingredients" JSONB NOT NULL,
    "instructions" TEXT[],
    "prepTimeMinutes" INTEGER NOT NULL DEFAULT 0,
    "serves" INTEGER NOT NULL,
    "tags" TEXT[],
    "imageUrl" VARCHAR(2000),
    "visibility" "Visibility" NOT NULL DEFAULT 'PRIVATE',
    "searchVector" tsvector,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "spooky_recipes_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "halloween_events" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "hostId" UUID NOT NULL,
    "familyId" UUID,
    "name" VARCHAR(120) NOT NULL,
    "type" "EventType" NOT NULL DEFAULT 'PARTY',
    "date" TIMESTAMPTZ(3) NOT NULL,
    "location" VARCHAR(200) NOT NULL DEFAULT '',
    "guestCount" INTEGER NOT NULL DEFAULT 0,
    "budgetCents" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "halloween_events_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "event_expenses" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "eventId" UUID NOT NULL,
    "description" VARCHAR(200) NOT NULL,
    "amountCents" INTEGER NOT NULL,
    "spentAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "addedBy" UUID,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "event_expenses_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "event_recipes" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "eventId" UUID NOT NULL,
    "source" "RecipeSource" NOT NULL,
    "recipeId" UUID,
    "spookyRecipeId" UUID,
    "servings" INTEGER NOT NULL,
    "addedBy" UUID,
    "addedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "event_recipes_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "costumes" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "authorId" UUID NOT NULL,
    "name" VARCHAR(120) NOT NULL,
    "difficulty" "Difficulty" NOT NULL DEFAULT 'MEDIUM',
    "materials" TEXT[],
    "costEstimateCents" INTEGER,
    "imageUrl" VARCHAR(2000),
    "upvotes" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "costumes_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "costume_votes" (
    "costumeId" UUID NOT NULL,
    "userId" UUID NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "costume_votes_pkey" PRIMARY KEY ("costumeId","userId")
);

-- CreateTable
CREATE TABLE "haunted_house_plans" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "ownerId" UUID NOT NULL,
    "roomName" VARCHAR(120) NOT NULL,
    "scareLevel" INTEGER NOT NULL,
    "propsNeeded" TEXT[],
    "setupInstructions" TEXT[],
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "haunted_house_plans_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "family_members" (
    "familyId" UUID NOT NULL,
    "userId" UUID NOT NULL,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "version" INTEGER NOT NULL,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "family_members_pkey" PRIMARY KEY ("familyId","userId")
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
CREATE INDEX "spooky_recipes_authorId_createdAt_idx" ON "spooky_recipes"("authorId", "createdAt");

-- CreateIndex
CREATE INDEX "spooky_recipes_visibility_createdAt_idx" ON "spooky_recipes"("visibility", "createdAt");

-- CreateIndex
CREATE INDEX "spooky_recipes_searchVector_idx" ON "spooky_recipes" USING GIN ("searchVector");

-- CreateIndex
CREATE INDEX "halloween_events_hostId_date_idx" ON "halloween_events"("hostId", "date");

-- CreateIndex
CREATE INDEX "halloween_events_familyId_idx" ON "halloween_events"("familyId");

-- CreateIndex
CREATE INDEX "event_expenses_eventId_spentAt_idx" ON "event_expenses"("eventId", "spentAt");

-- CreateIndex
CREATE INDEX "event_expenses_addedBy_idx" ON "event_expenses"("addedBy");

-- CreateIndex
CREATE INDEX "event_recipes_eventId_addedAt_idx" ON "event_recipes"("eventId", "addedAt");

-- CreateIndex
CREATE INDEX "event_recipes_spookyRecipeId_idx" ON "event_recipes"("spookyRecipeId");

-- CreateIndex
CREATE INDEX "event_recipes_addedBy_idx" ON "event_recipes"("addedBy");

-- CreateIndex
CREATE INDEX "costumes_authorId_createdAt_idx" ON "costumes"("authorId", "createdAt");

-- CreateIndex
CREATE INDEX "costumes_upvotes_createdAt_id_idx" ON "costumes"("upvotes", "createdAt", "id");

-- CreateIndex
CREATE INDEX "costumes_createdAt_id_idx" ON "costumes"("createdAt", "id");

-- CreateIndex
CREATE INDEX "costume_votes_userId_idx" ON "costume_votes"("userId");

-- CreateIndex
CREATE INDEX "haunted_house_plans_ownerId_createdAt_idx" ON "haunted_house_plans"("ownerId", "createdAt");

-- CreateIndex
CREATE INDEX "family_members_userId_idx" ON "family_members"("userId");

-- CreateIndex
CREATE UNIQUE INDEX "outbox_events_eventId_key" ON "outbox_events"("eventId");

-- CreateIndex
CREATE INDEX "outbox_events_publishedAt_id_idx" ON "outbox_events"("publishedAt", "id");

-- CreateIndex
CREATE UNIQUE INDEX "outbox_events_aggregateType_aggregateId_version_key" ON "outbox_events"("aggregateType", "aggregateId", "version");

-- AddForeignKey
ALTER TABLE "event_expenses" ADD CONSTRAINT "event_expenses_eventId_fkey" FOREIGN KEY ("eventId") REFERENCES "halloween_events"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "event_recipes" ADD CONSTRAINT "event_recipes_eventId_fkey" FOREIGN KEY ("eventId") REFERENCES "halloween_events"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "event_recipes" ADD CONSTRAINT "event_recipes_spookyRecipeId_fkey" FOREIGN KEY ("spookyRecipeId") REFERENCES "spooky_recipes"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "costume_votes" ADD CONSTRAINT "costume_votes_costumeId_fkey" FOREIGN KEY ("costumeId") REFERENCES "costumes"("id") ON DELETE CASCADE ON UPDATE CASCADE;
