-- AlterTable
ALTER TABLE "recipes" ADD COLUMN     "aiGenerationId" UUID;

-- CreateIndex
CREATE UNIQUE INDEX "recipes_aiGenerationId_key" ON "recipes"("aiGenerationId");
