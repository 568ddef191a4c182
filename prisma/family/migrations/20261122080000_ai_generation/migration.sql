-- AlterTable
ALTER TABLE "todo_items" ADD COLUMN     "aiGenerationId" UUID;

-- CreateIndex
CREATE INDEX "todo_items_aiGenerationId_idx" ON "todo_items"("aiGenerationId");
