-- Reverts 20261122000000_init.
DROP TABLE IF EXISTS "subscriptions";
DROP TABLE IF EXISTS "subscription_plans";
DROP TABLE IF EXISTS "credit_ledger";
DROP TABLE IF EXISTS "credit_wallets";
DROP TABLE IF EXISTS "device_pairings";
DROP TABLE IF EXISTS "refresh_tokens";
DROP TABLE IF EXISTS "sessions";
DROP TABLE IF EXISTS "devices";
DROP TABLE IF EXISTS "users";
DROP TYPE IF EXISTS "LedgerKind";
DROP TYPE IF EXISTS "SubscriptionStatus";
DROP TYPE IF EXISTS "DeviceType";
DROP TYPE IF EXISTS "Role";
