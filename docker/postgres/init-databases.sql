-- Run once by the postgres image on first start (an empty data volume), from
-- /docker-entrypoint-initdb.d. One database per domain (SPEC §2); the names are
-- DOMAINS in packages/db/src/domains.ts, and test/docker-compose.test.ts keeps
-- the two in step. Tables come from each domain's migrations (`npm run migrate:<domain>`).
CREATE DATABASE calos_identity;
CREATE DATABASE ai_db;
CREATE DATABASE recipes_db;
CREATE DATABASE mealplans_db;
CREATE DATABASE hollowtown_db;
CREATE DATABASE family_db;
