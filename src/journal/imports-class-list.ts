import { z } from "zod";
import type { Db, Tx } from "../db/client.js";
import { canActSchoolWide } from "./access.js";
import type { Actor } from "./actor.js";
import { audit } from "./audit.js";
import { className, norm, type Problems, parseClassName, parseDate } from "./imports-common.js";
import type { Column, TableRow } from "./imports-table.js";
import { dateOnly, namePart, text } from "./validate.js";

/** Class lists with guardians: one row per pupil and guardian; a second guardian is a second row. */
export const CLASS_LIST_COLUMNS: Column[] = [
  { key: "class", title: "Класс" },
  { key: "lastName", title: "Фамилия" },
  { key: "firstName", title: "Имя" },
  { key: "middleName", title: "Отчество" },
  { key: "birthDate", title: "Дата рождения" },
  { key: "sex", title: "Пол" },
  { key: "joinOrder", title: "Приказ о зачислении", aliases: ["Приказ"] },
  { key: "guardianLastName", title: "Фамилия родителя" },
  { key: "guardianFirstName", title: "Имя родителя" },
  { key: "guardianMiddleName", title: "Отчество родителя" },
  { key: "guardianRelation", title: "Кем приходится" },
  { key: "guardianPhone", title: "Телефон родителя" },
  { key: "guardianEmail", title: "E-mail родителя", aliases: ["Email родителя", "Почта родителя"] },
];
export const CLASS_LIST_REQUIRED = ["class", "lastName", "firstName"];

const phone = z.string().regex(/^\+?[\d\s()-]{7,20}$/, "телефон вида +7 900 000-00-00");
const email = z.email("адрес вида name@example.ru").max(200);

interface GuardianPlan {
  key: string;
  existingId: number | null;
  lastName: string;
  firstName: string;
  middleName: string | null;
  phone: string | null;
  email: string | null;
  relation: string | null;
}
interface PupilPlan {
  key: string;
  classId: number;
  existingId: number | null;
  enrolled: boolean;
  lastName: string;
  firstName: string;
  middleName: string | null;
  birthDate: string | null;
  sex: "M" | "F" | null;
  joinOrder: string | null;
  guardians: GuardianPlan[];
}
export interface ClassListPlan {
  pupils: PupilPlan[];
}

function field<T>(
  problems: Problems,
  row: number,
  column: string,
  schema: z.ZodType<T>,
  value: string,
): T | null {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  problems.add(row, r.error.issues[0]?.message ?? "неверное значение", column);
  return null;
}
const opt = (v: string | undefined) => (v && v.trim() !== "" ? v.trim() : null);

export async function planClassList(
  db: Db,
  actor: Actor,
  yearId: number,
  rows: TableRow[],
  problems: Problems,
): Promise<ClassListPlan> {
  const classes = await db.class.findMany({
    where: { yearId },
    select: { id: true, grade: true, letter: true, classTeacherId: true },
  });
  const schoolWide = canActSchoolWide(actor);
  const people = await db.person.findMany({
    where: { schoolId: actor.schoolId, roles: { some: { role: { in: ["PUPIL", "GUARDIAN"] } } } },
    select: {
      id: true,
      lastName: true,
      firstName: true,
      middleName: true,
      birthDate: true,
      phone: true,
      email: true,
      roles: { select: { role: true } },
      enrolments: {
        where: { leftOn: null },
        select: { classId: true, class: { select: { grade: true, letter: true } } },
      },
    },
  });
  const fio = (p: { lastName: string; firstName: string; middleName: string | null }) =>
    norm(`${p.lastName} ${p.firstName} ${p.middleName ?? ""}`);
  const pupils = new Map<string, PupilPlan>();

  for (const { row, cells } of rows) {
    const cls = parseClassName(cells.class ?? "");
    const found = cls && classes.find((c) => c.grade === cls.grade && c.letter === cls.letter);
    if (!cls) problems.add(row, "класс вида «5А»", "Класс");
    else if (!found)
      problems.add(row, `класса ${className(cls)} нет в этом учебном году: создайте его`, "Класс");
    else if (!schoolWide && found.classTeacherId !== actor.personId) {
      problems.add(
        row,
        `загружать список ${className(cls)} может его классный руководитель или завуч`,
        "Класс",
      );
    }
    const lastName = field(problems, row, "Фамилия", namePart, cells.lastName ?? "");
    const firstName = field(problems, row, "Имя", namePart, cells.firstName ?? "");
    const middleName = opt(cells.middleName) && field(problems, row, "Отчество", namePart, cells.middleName!);
    let birthDate: string | null = null;
    if (opt(cells.birthDate)) {
      birthDate = parseDate(cells.birthDate!);
      if (!birthDate) problems.add(row, "дата вида 24.11.2015", "Дата рождения");
    }
    const sexRaw = norm(cells.sex ?? "");
    const sex =
      sexRaw === ""
        ? null
        : ["м", "m", "муж", "мужской"].includes(sexRaw)
          ? "M"
          : ["ж", "f", "жен", "женский"].includes(sexRaw)
            ? "F"
            : undefined;
    if (sex === undefined) problems.add(row, "М или Ж", "Пол");
    const joinOrder =
      opt(cells.joinOrder) && field(problems, row, "Приказ о зачислении", text(100), cells.joinOrder!);

    const gLast = opt(cells.guardianLastName);
    const gFirst = opt(cells.guardianFirstName);
    let guardian: GuardianPlan | null = null;
    const anyGuardian = [
      gLast,
      gFirst,
      cells.guardianMiddleName,
      cells.guardianPhone,
      cells.guardianEmail,
    ].some((v) => opt(v ?? ""));
    if (anyGuardian) {
      const gl = field(problems, row, "Фамилия родителя", namePart, gLast ?? "");
      const gf = field(problems, row, "Имя родителя", namePart, gFirst ?? "");
      const gm =
        opt(cells.guardianMiddleName) &&
        field(problems, row, "Отчество родителя", namePart, cells.guardianMiddleName!);
      const gp =
        opt(cells.guardianPhone) &&
        field(problems, row, "Телефон родителя", phone, cells.guardianPhone!.trim());
      const ge =
        opt(cells.guardianEmail) &&
        field(problems, row, "E-mail родителя", email, cells.guardianEmail!.trim());
      const relation =
        opt(cells.guardianRelation) &&
        field(problems, row, "Кем приходится", text(40), cells.guardianRelation!);
      if (gl && gf) {
        const g = { lastName: gl, firstName: gf, middleName: gm || null };
        const existing = people.find(
          (p) =>
            p.roles.some((r) => r.role === "GUARDIAN") &&
            fio(p) === fio(g) &&
            ((gp && p.phone === gp) || (ge && p.email === ge) || (!gp && !ge)),
        );
        guardian = {
          key: `${fio(g)}|${gp ?? ""}|${ge ?? ""}`,
          existingId: existing?.id ?? null,
          ...g,
          phone: gp || null,
          email: ge || null,
          relation: relation || null,
        };
      }
    }
    if (!found || !lastName || !firstName || sex === undefined) continue;
    const who = { lastName, firstName, middleName: middleName || null };
    const key = `${fio(who)}|${birthDate ?? ""}`;
    let plan = pupils.get(key);
    if (plan && plan.classId !== found.id) {
      problems.add(row, `ученик уже указан в другом классе в этом файле`, "Класс");
      continue;
    }
    if (!plan) {
      const existing = people.find(
        (p) =>
          p.roles.some((r) => r.role === "PUPIL") &&
          fio(p) === fio(who) &&
          (!birthDate || !p.birthDate || p.birthDate.toISOString().startsWith(birthDate)),
      );
      const current = existing?.enrolments[0];
      if (current && current.classId !== found.id) {
        problems.add(
          row,
          `${lastName} ${firstName} уже учится в ${className(current.class)}: оформите перевод, а не зачисление`,
          "Класс",
        );
        continue;
      }
      plan = {
        key,
        classId: found.id,
        existingId: existing?.id ?? null,
        enrolled: Boolean(current),
        ...who,
        birthDate,
        sex,
        joinOrder: joinOrder || null,
        guardians: [],
      };
      pupils.set(key, plan);
    }
    if (guardian && !plan.guardians.some((g) => g.key === guardian.key)) plan.guardians.push(guardian);
  }
  return { pupils: [...pupils.values()] };
}

export function summarizeClassList(plan: ClassListPlan) {
  const guardians = new Set(
    plan.pupils.flatMap((p) => p.guardians.filter((g) => !g.existingId).map((g) => g.key)),
  );
  return {
    pupils: plan.pupils.length,
    pupilsNew: plan.pupils.filter((p) => !p.existingId).length,
    enrolments: plan.pupils.filter((p) => !p.enrolled).length,
    guardiansNew: guardians.size,
    links: plan.pupils.reduce((n, p) => n + p.guardians.length, 0),
  };
}

export async function applyClassList(tx: Tx, actor: Actor, plan: ClassListPlan, joinedOn: string) {
  const guardianIds = new Map<string, number>();
  for (const p of plan.pupils) {
    let pupilId = p.existingId;
    if (!pupilId) {
      const created = await tx.person.create({
        data: {
          schoolId: actor.schoolId,
          lastName: p.lastName,
          firstName: p.firstName,
          middleName: p.middleName,
          birthDate: p.birthDate ? dateOnly(p.birthDate) : null,
          sex: p.sex,
          roles: { create: [{ role: "PUPIL" }] },
        },
      });
      pupilId = created.id;
      await audit(tx, actor, {
        action: "person.create",
        entity: "Person",
        entityId: pupilId,
        after: { roles: ["PUPIL"], via: "import" },
      });
    }
    if (!p.enrolled) {
      const e = await tx.enrolment.create({
        data: { pupilId, classId: p.classId, joinedOn: dateOnly(joinedOn), joinOrder: p.joinOrder },
      });
      await audit(tx, actor, {
        action: "pupil.enrol",
        entity: "Enrolment",
        entityId: e.id,
        after: { pupilId, classId: p.classId, joinedOn, via: "import" },
      });
    }
    for (const g of p.guardians) {
      let gid = g.existingId ?? guardianIds.get(g.key);
      if (!gid) {
        const created = await tx.person.create({
          data: {
            schoolId: actor.schoolId,
            lastName: g.lastName,
            firstName: g.firstName,
            middleName: g.middleName,
            phone: g.phone,
            email: g.email,
            roles: { create: [{ role: "GUARDIAN" }] },
          },
        });
        gid = created.id;
        guardianIds.set(g.key, gid);
        await audit(tx, actor, {
          action: "person.create",
          entity: "Person",
          entityId: gid,
          after: { roles: ["GUARDIAN"], via: "import" },
        });
      }
      const link = await tx.guardianLink.upsert({
        where: { guardianId_pupilId: { guardianId: gid, pupilId } },
        create: { guardianId: gid, pupilId, relation: g.relation },
        update: {},
      });
      await audit(tx, actor, {
        action: "guardian.link",
        entity: "GuardianLink",
        entityId: `${link.guardianId}:${link.pupilId}`,
        after: { via: "import" },
      });
    }
  }
}
