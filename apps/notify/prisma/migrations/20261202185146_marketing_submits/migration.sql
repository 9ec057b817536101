-- AlterTable
ALTER TABLE "message" ADD COLUMN     "submitting_until" TIMESTAMPTZ(3);
