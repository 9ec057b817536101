-- AlterTable
ALTER TABLE "order" ADD COLUMN     "payment_due_at" TIMESTAMPTZ(3);
