-- AlterTable
ALTER TABLE "meal_plans" ADD COLUMN     "aiGenerationId" UUID;

-- CreateIndex
CREATE UNIQUE INDEX "meal_plans_aiGenerationId_key" ON "meal_plans"("aiGenerationId");
