-- AlterTable
ALTER TABLE "payment" ADD COLUMN     "taken_by_agent_id" TEXT,
ADD COLUMN     "taken_on_device_id" TEXT;
