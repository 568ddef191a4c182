ALTER TABLE "recipe_snapshots" DROP COLUMN IF EXISTS "totalMinutes";
ALTER TABLE "recipe_snapshots" DROP COLUMN IF EXISTS "tags";
