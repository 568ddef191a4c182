-- CreateEnum
CREATE TYPE "ReservationStatus" AS ENUM ('HELD', 'SETTLED', 'RELEASED');

-- CreateTable
CREATE TABLE "credit_reservations" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "userId" UUID NOT NULL,
    "amount" INTEGER NOT NULL,
    "status" "ReservationStatus" NOT NULL DEFAULT 'HELD',
    "idempotencyKey" VARCHAR(200) NOT NULL,
    "reason" VARCHAR(200) NOT NULL,
    "chargedAmount" INTEGER NOT NULL DEFAULT 0,
    "releaseReason" VARCHAR(200),
    "expiresAt" TIMESTAMPTZ(3) NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "settledAt" TIMESTAMPTZ(3),
    "releasedAt" TIMESTAMPTZ(3),

    CONSTRAINT "credit_reservations_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "credit_reservations_idempotencyKey_key" ON "credit_reservations"("idempotencyKey");

-- CreateIndex
CREATE INDEX "credit_reservations_status_expiresAt_idx" ON "credit_reservations"("status", "expiresAt");

-- CreateIndex
CREATE INDEX "credit_reservations_userId_createdAt_idx" ON "credit_reservations"("userId", "createdAt");

-- AddForeignKey
ALTER TABLE "credit_reservations" ADD CONSTRAINT "credit_reservations_userId_fkey" FOREIGN KEY ("userId") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;
