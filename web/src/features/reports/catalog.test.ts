import { describe, expect, it } from "vitest";
import { fieldsOf, REPORT_NAMES, reportHref } from "./catalog";

describe("report links", () => {
  it("lists every report of the server", () => {
    expect(REPORT_NAMES.sort()).toEqual([
      "absences",
      "activity",
      "control",
      "dynamics",
      "journal-page",
      "summary",
    ]);
  });

  it("builds a plain download link with the report's own parameters and the format", () => {
    expect(reportHref("journal-page", { classId: "3", subjectId: "7", periodId: "2" }, "pdf")).toBe(
      "/api/v1/reports/journal-page?classId=3&subjectId=7&periodId=2&format=pdf",
    );
    expect(reportHref("absences", { classId: "3", to: "2026-11-30" }, "csv")).toBe(
      "/api/v1/reports/absences?classId=3&to=2026-11-30&format=csv",
    );
    expect(reportHref("activity", {}, "xlsx")).toBe("/api/v1/reports/activity?format=xlsx");
  });

  it("has no link until the required parameters are filled", () => {
    expect(reportHref("journal-page", { classId: "3", subjectId: "7" }, "pdf")).toBeNull();
    expect(reportHref("control", { classId: "3" }, "pdf")).toBeNull();
  });

  it("asks for the class to pick a pupil from, but does not send it", () => {
    expect(fieldsOf("dynamics")).toEqual(["classId", "pupilId", "subjectId", "periodId"]);
    expect(
      reportHref("dynamics", { classId: "3", pupilId: "40", subjectId: "7", periodId: "2" }, "pdf"),
    ).toBe("/api/v1/reports/dynamics?pupilId=40&subjectId=7&periodId=2&format=pdf");
  });
});
