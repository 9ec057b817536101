-- AlterTable
ALTER TABLE "message" ADD COLUMN     "sealed_text" BYTEA;
