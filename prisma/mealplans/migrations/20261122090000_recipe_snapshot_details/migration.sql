-- AlterTable
ALTER TABLE "recipe_snapshots" ADD COLUMN     "tags" TEXT[],
ADD COLUMN     "totalMinutes" INTEGER;
