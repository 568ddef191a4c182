DROP TABLE IF EXISTS "inbox_events";
DROP TABLE IF EXISTS "outbox_events";
DROP TABLE IF EXISTS "saved_recipes";
DROP TABLE IF EXISTS "recipe_ratings";
DROP TABLE IF EXISTS "recipes";
DROP TYPE IF EXISTS "RecipeSource";
DROP TYPE IF EXISTS "Visibility";
DROP TYPE IF EXISTS "Difficulty";
