-- Subgroup membership keeps its history like enrolment: a row per stay, joinedOn ≤ day < leftOn.
-- Existing members stay members since the subgroup's first composition (joinedOn NULL) with no
-- end, which is what every past lesson saw until now: old data stays valid as it was.

-- DropPrimaryKey
ALTER TABLE "SubgroupMember" DROP CONSTRAINT "SubgroupMember_pkey";

-- AlterTable
ALTER TABLE "SubgroupMember" ADD COLUMN "id" SERIAL NOT NULL,
ADD COLUMN "joinedOn" DATE,
ADD COLUMN "leftOn" DATE,
ADD CONSTRAINT "SubgroupMember_pkey" PRIMARY KEY ("id");

-- CreateIndex
CREATE INDEX "SubgroupMember_subgroupId_pupilId_idx" ON "SubgroupMember"("subgroupId", "pupilId");

-- CreateIndex
CREATE INDEX "SubgroupMember_pupilId_idx" ON "SubgroupMember"("pupilId");
