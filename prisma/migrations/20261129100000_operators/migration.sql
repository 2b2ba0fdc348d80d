-- Deployment operators: the queue dashboard and other deployment-wide tools belong to them,
-- not to a school's journal admin. No rows at first: created by `journal create-operator`.

-- CreateTable
CREATE TABLE "Operator" (
    "id" SERIAL NOT NULL,
    "login" TEXT NOT NULL,
    "passwordHash" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Operator_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Operator_login_key" ON "Operator"("login");
