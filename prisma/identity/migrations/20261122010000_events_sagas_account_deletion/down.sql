DROP TABLE IF EXISTS "account_deletion_domains";
DROP TABLE IF EXISTS "account_deletions";
DROP TABLE IF EXISTS "saga_instances";
DROP TABLE IF EXISTS "inbox_events";
DROP TABLE IF EXISTS "outbox_events";
DROP TYPE IF EXISTS "SagaStatus";
