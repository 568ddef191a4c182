DROP INDEX IF EXISTS "spooky_recipes_aiGenerationId_key";
ALTER TABLE "spooky_recipes" DROP COLUMN IF EXISTS "aiGenerationId";
