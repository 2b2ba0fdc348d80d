-- Deliveries: a row is SENDING while its request is in flight (recorded before the call, outside
-- any long transaction), and EXPIRED when it could not be sent while still useful. Each row knows
-- until when it is worth sending. Schools may opt in to Telegram's paid broadcasts.

-- AlterEnum
ALTER TYPE "DeliveryStatus" ADD VALUE 'SENDING';
ALTER TYPE "DeliveryStatus" ADD VALUE 'EXPIRED';

-- AlterTable
ALTER TABLE "Delivery" ADD COLUMN "expiresAt" TIMESTAMPTZ(3);

-- AlterTable
ALTER TABLE "School" ADD COLUMN "paidBroadcast" BOOLEAN NOT NULL DEFAULT false;
