DROP INDEX IF EXISTS "recipes_aiGenerationId_key";
ALTER TABLE "recipes" DROP COLUMN IF EXISTS "aiGenerationId";
