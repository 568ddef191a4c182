DROP TABLE IF EXISTS "family_memberships";
DROP INDEX IF EXISTS "shopping_lists_eventId_key";
ALTER TABLE "shopping_lists" DROP COLUMN IF EXISTS "eventId";
