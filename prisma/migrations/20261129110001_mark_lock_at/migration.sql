-- A mark's lock deadline is fixed when it is written (004 §5.3): a later change of the lock
-- length or of the holidays applies to new marks only.

-- AlterTable
ALTER TABLE "Mark" ADD COLUMN "lockAt" TIMESTAMPTZ(3);

-- Backfill: existing marks get the deadline the rule gives today (src/journal/rules/calendar.ts,
-- lockEndsAt): the day of writing (school's local date) does not count; the author may change
-- the mark through the markLockDays-th school day after it (weekdays up to weekDays, holidays
-- skipped); it locks at the local midnight after that day. One computation per school and day.
WITH given AS (
  SELECT DISTINCT s.id AS "schoolId", s."timeZone", s."weekDays", s."markLockDays",
         (m."createdAt" AT TIME ZONE s."timeZone")::date AS day
  FROM "Mark" m
  JOIN "Lesson" l ON l.id = m."lessonId"
  JOIN "Class" c ON c.id = l."classId"
  JOIN "AcademicYear" y ON y.id = c."yearId"
  JOIN "School" s ON s.id = y."schoolId"
  WHERE m."lockAt" IS NULL
), deadline AS (
  SELECT g."schoolId", g."timeZone", g.day,
         CASE WHEN g."markLockDays" <= 0 THEN g.day ELSE (
           SELECT d::date
           FROM generate_series((g.day + 1)::timestamp, (g.day + 3660)::timestamp, interval '1 day') AS d
           WHERE extract(isodow FROM d) <= g."weekDays"
             AND NOT EXISTS (SELECT 1 FROM "Holiday" h
                             WHERE h."schoolId" = g."schoolId" AND d::date BETWEEN h."fromDate" AND h."toDate")
           ORDER BY d
           OFFSET g."markLockDays" - 1 LIMIT 1)
         END AS last_day
  FROM given g
)
UPDATE "Mark" m
SET "lockAt" = ((dl.last_day + 1)::timestamp AT TIME ZONE dl."timeZone")
FROM "Lesson" l, "Class" c, "AcademicYear" y, deadline dl
WHERE l.id = m."lessonId" AND c.id = l."classId" AND y.id = c."yearId"
  AND dl."schoolId" = y."schoolId" AND dl.day = (m."createdAt" AT TIME ZONE dl."timeZone")::date
  AND m."lockAt" IS NULL;
