import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type HttpCtx, send, startHttp } from "./helpers.js";

let ctx: HttpCtx;
let url: string;
beforeAll(async () => {
  ctx = await startHttp();
  const { db } = ctx.testDb;
  const { pupils, subjects, periods, people } = ctx.school;
  url = `/api/v1/pupils/${pupils.ivanov.id}/period-marks`;
  // Marks of two quarters, set straight in the table: this file is about who sees them when.
  for (const [period, value] of [
    [periods[0]!, "5"],
    [periods[1]!, "4"],
  ] as const) {
    await db.periodMark.create({
      data: {
        pupilId: pupils.ivanov.id,
        subjectId: subjects.math.id,
        periodId: period.id,
        kind: "PERIOD",
        value,
        authorId: people.math.id,
      },
    });
  }
});
afterAll(async () => {
  await ctx?.close();
});

const periodsSeen = async (who: string) => {
  const res = await send(ctx, who, "GET", url);
  expect(res.statusCode, `${who}: ${res.body}`).toBe(200);
  return (res.json() as { value: string; period: { name: string } }[]).map(
    (m) => `${m.period.name}: ${m.value}`,
  );
};

describe("period results reach families when published", () => {
  it("before publishing, the guardian and the pupil see nothing; the teacher and the deputy see the marks", async () => {
    expect(await periodsSeen("ivanovaMother")).toEqual([]);
    expect(await periodsSeen("ivanov")).toEqual([]);
    expect(await periodsSeen("math")).toEqual(["1 четверть: 5", "2 четверть: 4"]);
    expect(await periodsSeen("deputy")).toEqual(["1 четверть: 5", "2 четверть: 4"]);
  });

  it("after the deputy publishes the first quarter, families see that quarter only", async () => {
    const published = await send(
      ctx,
      "deputy",
      "POST",
      `/api/v1/periods/${ctx.school.periods[0]!.id}/publish`,
      {},
    );
    expect(published.statusCode, published.body).toBe(200);
    expect(await periodsSeen("ivanovaMother")).toEqual(["1 четверть: 5"]);
    expect(await periodsSeen("ivanov")).toEqual(["1 четверть: 5"]);
    expect(await periodsSeen("math")).toEqual(["1 четверть: 5", "2 четверть: 4"]);
  });

  it("publishing the second quarter for 5А only shows it to 5А's families at once", async () => {
    const { classes, periods } = ctx.school;
    const published = await send(ctx, "deputy", "POST", `/api/v1/periods/${periods[1]!.id}/publish`, {
      classId: classes.class5.id,
    });
    expect(published.statusCode, published.body).toBe(200);
    expect(await periodsSeen("ivanovaMother")).toEqual(["1 четверть: 5", "2 четверть: 4"]);
    // The whole school's quarter is still open for teachers: only the deputy published 5А.
    const period = await ctx.testDb.db.period.findUniqueOrThrow({ where: { id: periods[1]!.id } });
    expect(period.publishedAt).toBeNull();
  });

  it("another family's guardian gets 404", async () => {
    const res = await send(ctx, "petrovaMother", "GET", url);
    expect(res.statusCode).toBe(404);
  });
});
