-- Foreign keys without an index of their own make deleting a person, slot or plan item scan
-- the biggest tables.

-- CreateIndex
CREATE INDEX "Mark_authorId_idx" ON "Mark"("authorId");

-- CreateIndex
CREATE INDEX "Mark_controlFormId_idx" ON "Mark"("controlFormId");

-- CreateIndex
CREATE INDEX "MarkHistory_authorId_idx" ON "MarkHistory"("authorId");

-- CreateIndex
CREATE INDEX "Attendance_markedById_idx" ON "Attendance"("markedById");

-- CreateIndex
CREATE INDEX "PeriodMark_authorId_idx" ON "PeriodMark"("authorId");

-- CreateIndex
CREATE INDEX "Lesson_slotId_idx" ON "Lesson"("slotId");

-- CreateIndex
CREATE INDEX "Lesson_plannedTopicId_idx" ON "Lesson"("plannedTopicId");

-- CreateIndex
CREATE INDEX "Lesson_controlFormId_idx" ON "Lesson"("controlFormId");
