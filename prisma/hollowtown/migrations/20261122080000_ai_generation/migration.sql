-- AlterTable
ALTER TABLE "spooky_recipes" ADD COLUMN     "aiGenerationId" UUID;

-- CreateIndex
CREATE UNIQUE INDEX "spooky_recipes_aiGenerationId_key" ON "spooky_recipes"("aiGenerationId");
