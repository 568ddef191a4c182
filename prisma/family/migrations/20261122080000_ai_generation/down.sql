DROP INDEX IF EXISTS "todo_items_aiGenerationId_idx";
ALTER TABLE "todo_items" DROP COLUMN IF EXISTS "aiGenerationId";
