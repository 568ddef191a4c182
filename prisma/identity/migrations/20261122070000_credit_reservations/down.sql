-- Reverts 20261122070000_credit_reservations.
DROP TABLE IF EXISTS "credit_reservations";
DROP TYPE IF EXISTS "ReservationStatus";
