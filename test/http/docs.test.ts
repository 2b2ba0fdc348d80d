import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.js";
import { buildApp } from "../../src/http/app.js";
import type { Api } from "../../src/http/types.js";
import { createTestDb, type TestDb } from "../support/db.js";

let testDb: TestDb;
let app: Api;
beforeAll(async () => {
  testDb = await createTestDb();
  app = await buildApp({ db: testDb.db, config: loadConfig({ ...process.env, LOG_LEVEL: "silent" }) });
});
afterAll(async () => {
  await app?.close();
  await testDb?.drop();
});

const RESOURCES = [
  "/api/v1/auth/login",
  "/api/v1/auth/refresh",
  "/api/v1/auth/logout",
  "/api/v1/auth/password",
  "/api/v1/me",
  "/api/v1/me/preferences",
  "/api/v1/me/children",
  "/api/v1/me/lessons",
  "/api/v1/school",
  "/api/v1/school/settings",
  "/api/v1/school/holidays",
  "/api/v1/years",
  "/api/v1/periods",
  "/api/v1/classes",
  "/api/v1/classes/{classId}/subgroups",
  "/api/v1/subgroups/{subgroupId}/members",
  "/api/v1/subjects",
  "/api/v1/control-forms",
  "/api/v1/people",
  "/api/v1/people/{personId}/roles",
  "/api/v1/people/{personId}/credentials",
  "/api/v1/people/{personId}/invites",
  "/api/v1/pupils/{pupilId}/enrol",
  "/api/v1/pupils/{pupilId}/transfer",
  "/api/v1/pupils/{pupilId}/leave",
  "/api/v1/guardians/{guardianId}/pupils/{pupilId}",
  "/api/v1/assignments",
  "/api/v1/timetable",
  "/api/v1/timetable/slots",
  "/api/v1/timetable/generate-lessons",
  "/api/v1/lessons/{lessonId}/substitute",
  "/api/v1/lessons/{lessonId}",
  "/api/v1/lessons/{lessonId}/marks",
  "/api/v1/marks/{markId}/corrections",
  "/api/v1/marks/{markId}/history",
  "/api/v1/lessons/{lessonId}/attendance",
  "/api/v1/attendance/reasons",
  "/api/v1/classes/{classId}/absences",
  "/api/v1/period-marks",
  "/api/v1/periods/{periodId}/publish",
  "/api/v1/audit",
  "/api/v1/journal-grid",
  "/api/v1/pupils/{pupilId}/diary",
  "/api/v1/pupils/{pupilId}/period-marks",
  "/api/v1/assignments/{assignmentId}/topic-plan",
  "/api/v1/messages",
  "/api/v1/messages/{messageId}/thread",
  "/api/v1/messages/{messageId}/acknowledge",
  "/api/v1/messages/{messageId}/acknowledgements",
  "/api/v1/pupils/{pupilId}/absence-notices",
  "/api/v1/pupils/{pupilId}/subjects/{subjectId}/marks",
  "/api/v1/people/{personId}/block",
  "/api/v1/period-marks/summary",
  "/api/v1/control/late-lessons",
  "/api/v1/imports/{kind}",
  "/api/v1/exports/{kind}",
  "/api/v1/reports/journal-page",
  "/api/v1/reports/summary",
  "/api/v1/reports/absences",
  "/api/v1/reports/dynamics",
  "/api/v1/reports/control",
  "/api/v1/reports/activity",
  "/api/v1/reports/dynamics/chart.png",
  "/api/v1/classes/{classId}/delivery-stats",
  "/api/v1/classes/{classId}/guardians",
  "/api/v1/classes/{classId}/invites",
  "/api/v1/classes/{classId}/messages",
  "/api/v1/control/dashboard",
  "/health",
  "/ready",
];

describe("OpenAPI document", () => {
  it("lists every resource, each operation tagged and described in Russian", async () => {
    const res = await app.inject({ url: "/docs/json" });
    expect(res.statusCode).toBe(200);
    const doc = res.json() as {
      paths: Record<string, Record<string, { tags?: string[]; summary?: string }>>;
    };
    const missing = RESOURCES.filter((p) => !doc.paths[p]);
    expect(missing).toEqual([]);
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        expect(op.tags?.length, `${method} ${path} tag`).toBeGreaterThan(0);
        expect(op.summary, `${method} ${path} summary`).toMatch(/[А-Яа-яЁё]/);
      }
    }
  });

  it("describes each report's own parameters, the format among them, in Russian", async () => {
    const doc = (await app.inject({ url: "/docs/json" })).json() as {
      paths: Record<
        string,
        { get: { tags: string[]; description?: string; parameters?: { name: string }[] } }
      >;
    };
    const params = (path: string) => (doc.paths[path]?.get.parameters ?? []).map((p) => p.name).sort();
    expect(params("/api/v1/reports/dynamics")).toEqual(["format", "periodId", "pupilId", "subjectId"]);
    expect(params("/api/v1/reports/absences")).toEqual(["classId", "format", "from", "to"]);
    for (const path of [
      ...RESOURCES.filter((p) => p.startsWith("/api/v1/reports/")),
      "/api/v1/classes/{classId}/delivery-stats",
    ]) {
      expect(doc.paths[path]!.get.description, path).toMatch(/[А-Яа-яЁё]/);
    }
    expect(doc.paths["/api/v1/reports/summary"]!.get.tags).toEqual(["reports"]);
    expect(doc.paths["/api/v1/classes/{classId}/delivery-stats"]!.get.tags).toEqual(["notifications"]);
  });

  it("documents the success response of every /api/v1 operation with a schema", async () => {
    type Media = Record<string, { schema?: Record<string, unknown> }>;
    const doc = (await app.inject({ url: "/docs/json" })).json() as {
      paths: Record<string, Record<string, { responses?: Record<string, { content?: Media }> }>>;
    };
    const problems: string[] = [];
    let operations = 0;
    for (const [path, ops] of Object.entries(doc.paths)) {
      if (!path.startsWith("/api/v1/")) continue;
      for (const [method, op] of Object.entries(ops)) {
        operations++;
        const name = `${method.toUpperCase()} ${path}`;
        const success = Object.entries(op.responses ?? {}).filter(([code]) => /^2\d\d$/.test(code));
        if (success.length !== 1) {
          problems.push(`${name}: success responses ${success.map(([c]) => c).join(", ") || "none"}`);
          continue;
        }
        const [code, response] = success[0]!;
        const media = Object.entries(response.content ?? {});
        if (code === "204") {
          if (media.length > 0) problems.push(`${name}: 204 with a body`);
          continue;
        }
        if (media.length === 0) problems.push(`${name}: ${code} without content`);
        for (const [type, { schema }] of media) {
          if (!schema || Object.keys(schema).length === 0)
            problems.push(`${name}: ${code} ${type} without a schema`);
        }
      }
    }
    expect(problems).toEqual([]);
    expect(operations).toBeGreaterThan(60);

    // Dates and BigInt ids are documented as the strings JSON carries.
    type Schema = { type?: string; format?: string; properties?: Record<string, Schema>; items?: Schema };
    const json = (path: string, method = "get") =>
      (doc.paths[path]![method]!.responses!["200"]!.content as Record<string, { schema: Schema }>)[
        "application/json"
      ]!.schema;
    const history = json("/api/v1/marks/{markId}/history");
    expect(history.properties!.mark!.properties!.createdAt).toMatchObject({
      type: "string",
      format: "date-time",
    });
    const audit = json("/api/v1/audit").properties!.entries!.items!;
    expect(audit.properties!.id).toMatchObject({ type: "string" });
    expect(Object.keys(json("/api/v1/journal-grid").properties!)).toEqual(
      expect.arrayContaining(["lessons", "pupils", "cells", "averages"]),
    );
    const report = doc.paths["/api/v1/reports/summary"]!.get!.responses!["200"]!.content!;
    expect(Object.keys(report).sort()).toEqual([
      "application/json",
      "application/pdf",
      "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      "text/csv",
    ]);
    expect(report["application/pdf"]!.schema).toMatchObject({ type: "string", format: "binary" });
  });

  it("serves the Swagger UI at /docs", async () => {
    const res = await app.inject({ url: "/docs/" });
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toMatch(/html/);
  });
});
