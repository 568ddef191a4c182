-- CreateEnum
CREATE TYPE "MealSlot" AS ENUM ('BREAKFAST', 'LUNCH', 'DINNER', 'SNACK');

-- CreateEnum
CREATE TYPE "PantryLocation" AS ENUM ('FRIDGE', 'FREEZER', 'PANTRY', 'SPICE_RACK', 'OTHER');

-- CreateTable
CREATE TABLE "meal_plans" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "ownerId" UUID NOT NULL,
    "familyId" UUID,
    "name" VARCHAR(120) NOT NULL,
    "startDate" DATE NOT NULL,
    "durationDays" INTEGER NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "meal_plans_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "meal_plan_entries" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "mealPlanId" UUID NOT NULL,
    "date" DATE NOT NULL,
    "slot" "MealSlot" NOT NULL,
    "recipeId" UUID NOT NULL,
    "servings" INTEGER NOT NULL,

    CONSTRAINT "meal_plan_entries_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "shopping_lists" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "ownerId" UUID NOT NULL,
    "familyId" UUID,
    "name" VARCHAR(120) NOT NULL,
    "mealPlanId" UUID,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "shopping_lists_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "shopping_items" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "listId" UUID NOT NULL,
    "name" VARCHAR(100) NOT NULL,
    "quantity" DOUBLE PRECISION,
    "unit" VARCHAR(20),
    "category" VARCHAR(40),
    "checked" BOOLEAN NOT NULL DEFAULT false,
    "checkedBy" UUID,
    "checkedAt" TIMESTAMPTZ(3),
    "sources" JSONB NOT NULL DEFAULT '[]',
    "position" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "shopping_items_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "pantry_items" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "ownerId" UUID NOT NULL,
    "name" VARCHAR(100) NOT NULL,
    "quantity" DOUBLE PRECISION NOT NULL,
    "unit" VARCHAR(20),
    "category" VARCHAR(40),
    "expirationDate" DATE,
    "location" "PantryLocation" NOT NULL DEFAULT 'PANTRY',
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "pantry_items_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "recipe_snapshots" (
    "recipeId" UUID NOT NULL,
    "authorId" UUID NOT NULL,
    "title" VARCHAR(200) NOT NULL,
    "serves" INTEGER NOT NULL,
    "ingredients" JSONB NOT NULL,
    "visibility" VARCHAR(10) NOT NULL,
    "version" INTEGER NOT NULL,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "recipe_snapshots_pkey" PRIMARY KEY ("recipeId")
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
CREATE INDEX "meal_plans_ownerId_createdAt_idx" ON "meal_plans"("ownerId", "createdAt");

-- CreateIndex
CREATE INDEX "meal_plans_familyId_idx" ON "meal_plans"("familyId");

-- CreateIndex
CREATE INDEX "meal_plan_entries_recipeId_idx" ON "meal_plan_entries"("recipeId");

-- CreateIndex
CREATE UNIQUE INDEX "meal_plan_entries_mealPlanId_date_slot_key" ON "meal_plan_entries"("mealPlanId", "date", "slot");

-- CreateIndex
CREATE UNIQUE INDEX "shopping_lists_mealPlanId_key" ON "shopping_lists"("mealPlanId");

-- CreateIndex
CREATE INDEX "shopping_lists_ownerId_createdAt_idx" ON "shopping_lists"("ownerId", "createdAt");

-- CreateIndex
CREATE INDEX "shopping_lists_familyId_idx" ON "shopping_lists"("familyId");

-- CreateIndex
CREATE INDEX "shopping_items_listId_position_idx" ON "shopping_items"("listId", "position");

-- CreateIndex
CREATE INDEX "pantry_items_ownerId_name_idx" ON "pantry_items"("ownerId", "name");

-- CreateIndex
CREATE INDEX "pantry_items_ownerId_expirationDate_idx" ON "pantry_items"("ownerId", "expirationDate");

-- CreateIndex
CREATE UNIQUE INDEX "outbox_events_eventId_key" ON "outbox_events"("eventId");

-- CreateIndex
CREATE INDEX "outbox_events_publishedAt_id_idx" ON "outbox_events"("publishedAt", "id");

-- CreateIndex
CREATE UNIQUE INDEX "outbox_events_aggregateType_aggregateId_version_key" ON "outbox_events"("aggregateType", "aggregateId", "version");

-- AddForeignKey
ALTER TABLE "meal_plan_entries" ADD CONSTRAINT "meal_plan_entries_mealPlanId_fkey" FOREIGN KEY ("mealPlanId") REFERENCES "meal_plans"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "shopping_lists" ADD CONSTRAINT "shopping_lists_mealPlanId_fkey" FOREIGN KEY ("mealPlanId") REFERENCES "meal_plans"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "shopping_items" ADD CONSTRAINT "shopping_items_listId_fkey" FOREIGN KEY ("listId") REFERENCES "shopping_lists"("id") ON DELETE CASCADE ON UPDATE CASCADE;
