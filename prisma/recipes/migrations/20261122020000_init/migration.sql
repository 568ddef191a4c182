-- CreateEnum
CREATE TYPE "Difficulty" AS ENUM ('EASY', 'MEDIUM', 'HARD');

-- CreateEnum
CREATE TYPE "Visibility" AS ENUM ('PRIVATE', 'PUBLIC');

-- CreateEnum
CREATE TYPE "RecipeSource" AS ENUM ('RECIPES', 'HOLLOWTOWN');

-- CreateTable
CREATE TABLE "recipes" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "authorId" UUID NOT NULL,
    "title" VARCHAR(200) NOT NULL,
    "description" VARCHAR(5000) NOT NULL DEFAULT '',
    "cuisine" VARCHAR(50),
    "difficulty" "Difficulty" NOT NULL DEFAULT 'MEDIUM',
    "prepTimeMinutes" INTEGER NOT NULL DEFAULT 0,
    "cookTimeMinutes" INTEGER NOT NULL DEFAULT 0,
    "serves" INTEGER NOT NULL,
    "calories" INTEGER,
    "ingredients" JSONB NOT NULL,
    "instructions" TEXT[],
    "nutrition" JSONB,
    "allergens" TEXT[],
    "tags" TEXT[],
    "imageUrl" VARCHAR(2000),
    "visibility" "Visibility" NOT NULL DEFAULT 'PRIVATE',
    "ratingCount" INTEGER NOT NULL DEFAULT 0,
    "ratingSum" INTEGER NOT NULL DEFAULT 0,
    "searchVector" tsvector,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "recipes_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "recipe_ratings" (
    "recipeId" UUID NOT NULL,
    "userId" UUID NOT NULL,
    "stars" INTEGER NOT NULL,
    "review" VARCHAR(2000),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "recipe_ratings_pkey" PRIMARY KEY ("recipeId","userId")
);

-- CreateTable
CREATE TABLE "saved_recipes" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "userId" UUID NOT NULL,
    "source" "RecipeSource" NOT NULL,
    "refId" UUID NOT NULL,
    "savedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "saved_recipes_pkey" PRIMARY KEY ("id")
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
CREATE INDEX "recipes_authorId_createdAt_idx" ON "recipes"("authorId", "createdAt");

-- CreateIndex
CREATE INDEX "recipes_visibility_createdAt_idx" ON "recipes"("visibility", "createdAt");

-- CreateIndex
CREATE INDEX "recipes_searchVector_idx" ON "recipes" USING GIN ("searchVector");

-- CreateIndex
CREATE INDEX "recipe_ratings_userId_idx" ON "recipe_ratings"("userId");

-- CreateIndex
CREATE INDEX "saved_recipes_source_refId_idx" ON "saved_recipes"("source", "refId");

-- CreateIndex
CREATE UNIQUE INDEX "saved_recipes_userId_source_refId_key" ON "saved_recipes"("userId", "source", "refId");

-- CreateIndex
CREATE UNIQUE INDEX "outbox_events_eventId_key" ON "outbox_events"("eventId");

-- CreateIndex
CREATE INDEX "outbox_events_publishedAt_id_idx" ON "outbox_events"("publishedAt", "id");

-- CreateIndex
CREATE UNIQUE INDEX "outbox_events_aggregateType_aggregateId_version_key" ON "outbox_events"("aggregateType", "aggregateId", "version");

-- AddForeignKey
ALTER TABLE "recipe_ratings" ADD CONSTRAINT "recipe_ratings_recipeId_fkey" FOREIGN KEY ("recipeId") REFERENCES "recipes"("id") ON DELETE CASCADE ON UPDATE CASCADE;
