DROP INDEX IF EXISTS "meal_plans_aiGenerationId_key";
ALTER TABLE "meal_plans" DROP COLUMN IF EXISTS "aiGenerationId";
