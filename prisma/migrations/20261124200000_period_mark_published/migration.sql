-- Period marks become visible to families when their period is published, for the whole school
-- or for one class; each mark carries its own stamp.

-- AlterTable
ALTER TABLE "PeriodMark" ADD COLUMN "publishedAt" TIMESTAMPTZ(3);

-- Marks of periods already published for the whole school stay visible.
UPDATE "PeriodMark" pm SET "publishedAt" = p."publishedAt"
FROM "Period" p WHERE p.id = pm."periodId" AND p."publishedAt" IS NOT NULL;
