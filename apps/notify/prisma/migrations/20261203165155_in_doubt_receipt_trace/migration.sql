-- AlterTable
ALTER TABLE "delivery_report" ADD COLUMN     "recipient" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "reference" TEXT NOT NULL DEFAULT '';

-- CreateIndex
CREATE INDEX "delivery_report_recipient_reference_idx" ON "delivery_report"("recipient", "reference");
