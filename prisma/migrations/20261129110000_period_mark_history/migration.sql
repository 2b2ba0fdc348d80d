-- Every change of a period mark keeps its old value; a published one changes only as a
-- correction with a listed reason (003 §7). Existing marks have no history yet: nothing to fill.

-- CreateTable
CREATE TABLE "PeriodMarkHistory" (
    "id" SERIAL NOT NULL,
    "periodMarkId" INTEGER NOT NULL,
    "oldValue" TEXT NOT NULL,
    "newValue" TEXT NOT NULL,
    "change" "MarkChange" NOT NULL,
    "note" TEXT,
    "authorId" INTEGER NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "PeriodMarkHistory_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "PeriodMarkHistory_periodMarkId_idx" ON "PeriodMarkHistory"("periodMarkId");

-- CreateIndex
CREATE INDEX "PeriodMarkHistory_authorId_idx" ON "PeriodMarkHistory"("authorId");

-- AddForeignKey
ALTER TABLE "PeriodMarkHistory" ADD CONSTRAINT "PeriodMarkHistory_periodMarkId_fkey" FOREIGN KEY ("periodMarkId") REFERENCES "PeriodMark"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PeriodMarkHistory" ADD CONSTRAINT "PeriodMarkHistory_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "Person"("id") ON DELETE CASCADE ON UPDATE CASCADE;
