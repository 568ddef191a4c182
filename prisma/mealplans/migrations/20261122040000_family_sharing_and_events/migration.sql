-- AlterTable
ALTER TABLE "shopping_lists" ADD COLUMN     "eventId" UUID;

-- CreateTable
CREATE TABLE "family_memberships" (
    "familyId" UUID NOT NULL,
    "userId" UUID NOT NULL,
    "role" VARCHAR(10) NOT NULL,
    "joinedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "family_memberships_pkey" PRIMARY KEY ("familyId","userId")
);

-- CreateIndex
CREATE UNIQUE INDEX "shopping_lists_eventId_key" ON "shopping_lists"("eventId");

-- CreateIndex
CREATE INDEX "family_memberships_userId_idx" ON "family_memberships"("userId");
