import type { Role } from "../../src/generated/prisma/enums.js";
import { CURRICULUM, dayShape, SPLIT, type SubjectKey, weeklyHours } from "./curriculum.js";
import { family, loginOf } from "./names.js";
import {
  type AssignmentPlan,
  type ClassPlan,
  halves,
  type PersonPlan,
  person,
  type SchoolPlan,
} from "./plan.js";
import type { Rng } from "./random.js";
import { buildTimetable, type TimetableClass } from "./timetable.js";

export const DEMO_SCHOOL = "МБОУ «Средняя школа № 7»";

/** Demo staff: fixed people so the logins in the README and the demo script stay the same. */
const STAFF = [
  {
    key: "admin",
    last: "Григорьева",
    first: "Светлана",
    middle: "Юрьевна",
    sex: "F",
    roles: ["ADMIN"],
    login: "admin",
  },
  {
    key: "director",
    last: "Васильев",
    first: "Павел",
    middle: "Андреевич",
    sex: "M",
    roles: ["DIRECTOR"],
    login: "director",
  },
  {
    key: "deputy",
    last: "Фёдорова",
    first: "Елена",
    middle: "Анатольевна",
    sex: "F",
    roles: ["DEPUTY", "TEACHER"],
    login: "zavuch",
  },
  { key: "math", last: "Иванова", first: "Марина", middle: "Викторовна", sex: "F", roles: ["TEACHER"] },
  { key: "russian", last: "Соколова", first: "Татьяна", middle: "Николаевна", sex: "F", roles: ["TEACHER"] },
  { key: "primary", last: "Смирнова", first: "Ольга", middle: "Петровна", sex: "F", roles: ["TEACHER"] },
  { key: "english1", last: "Кузнецов", first: "Андрей", middle: "Игоревич", sex: "M", roles: ["TEACHER"] },
  { key: "english2", last: "Волкова", first: "Екатерина", middle: "Сергеевна", sex: "F", roles: ["TEACHER"] },
  { key: "history", last: "Морозов", first: "Дмитрий", middle: "Алексеевич", sex: "M", roles: ["TEACHER"] },
  {
    key: "science",
    last: "Лебедева",
    first: "Наталья",
    middle: "Владимировна",
    sex: "F",
    roles: ["TEACHER"],
  },
  { key: "pe", last: "Павлов", first: "Сергей", middle: "Николаевич", sex: "M", roles: ["TEACHER"] },
  { key: "arts", last: "Николаева", first: "Ирина", middle: "Александровна", sex: "F", roles: ["TEACHER"] },
] as const;
type StaffKey = (typeof STAFF)[number]["key"];

/** Who teaches what in the demo school (grade 1 has its own class teacher for almost everything). */
function teacherFor(subject: SubjectKey, grade: number): StaffKey {
  if (grade === 1 && !["music", "pe"].includes(subject)) return "primary";
  const map: Partial<Record<SubjectKey, StaffKey>> = {
    russian: "russian",
    literature: "russian",
    math: "math",
    algebra: "math",
    geometry: "math",
    stats: "math",
    informatics: "math",
    history: "history",
    social: "history",
    odnknr: "history",
    biology: "science",
    geography: "science",
    physics: "deputy",
    pe: "pe",
    music: "arts",
    art: "arts",
    labour: "arts",
  };
  return map[subject] ?? "math";
}

export const DEMO_CLASSES = [
  { grade: 1, letter: "А", size: 18, teacher: "primary" },
  { grade: 5, letter: "А", size: 20, teacher: "math" },
  { grade: 7, letter: "Б", size: 16, teacher: "russian" },
] as const;

export interface DemoPlan extends SchoolPlan {
  staff: Record<StaffKey, number>;
  /** The guardian with children in two classes (gets the demo invite code). */
  twoChildGuardian: number;
  joined: Map<number, string>;
}

export function buildDemoPlan(rng: Rng): DemoPlan {
  const people: PersonPlan[] = [];
  const add = (p: PersonPlan) => people.push(p) - 1;
  const staff = {} as Record<StaffKey, number>;
  for (const s of STAFF) {
    const name = { lastName: s.last, firstName: s.first, middleName: s.middle };
    staff[s.key] = add(
      person({
        ...name,
        sex: s.sex,
        roles: [...s.roles] as Role[],
        login: "login" in s ? s.login : loginOf(name),
        email: `${"login" in s ? s.login : loginOf(name)}@school7.example.com`,
      }),
    );
  }

  const classes: ClassPlan[] = DEMO_CLASSES.map((c) => ({
    grade: c.grade,
    letter: c.letter,
    classTeacher: staff[c.teacher],
    pupils: [],
    subgroups: [],
  }));
  const guardianLinks: [number, number, string][] = [];
  const classOfGrade = (g: number) => DEMO_CLASSES.findIndex((c) => c.grade === g);
  // Three families with children in two classes, the rest one child each.
  const families: number[][] = [
    [1, 5],
    [5, 7],
    [1, 7],
  ];
  for (const c of DEMO_CLASSES) {
    const already = families.filter((f) => f.includes(c.grade)).length;
    for (let i = already; i < c.size; i++) families.push([c.grade]);
  }
  let twoChildGuardian = -1;
  let parentNo = 0;
  for (const grades of families) {
    const f = family(rng, grades, 0.45);
    const kids = f.children.map((ch) => {
      const idx = add(person({ ...ch, roles: ["PUPIL"] }));
      classes[classOfGrade(ch.grade)]!.pupils.push(idx);
      return idx;
    });
    for (const g of f.guardians) {
      parentNo++;
      const idx = add(
        person({
          lastName: g.lastName,
          firstName: g.firstName,
          middleName: g.middleName,
          sex: g.sex,
          roles: ["GUARDIAN"],
          email: `roditel${parentNo}@example.com`,
          phone: `+7 900 000-${String(10 + Math.floor(parentNo / 100)).padStart(2, "0")}-${String(parentNo % 100).padStart(2, "0")}`,
        }),
      );
      if (grades.length === 2 && twoChildGuardian < 0) twoChildGuardian = idx;
      for (const k of kids) guardianLinks.push([idx, k, g.relation]);
    }
  }

  const assignments: AssignmentPlan[] = [];
  const units: TimetableClass[] = classes.map((cls, ci) => {
    if (CURRICULUM[cls.grade]?.english) cls.subgroups = halves(cls.pupils, people);
    const classUnits = Object.entries(CURRICULUM[cls.grade]!).map(([key, hours]) => {
      const subject = key as SubjectKey;
      if (SPLIT.has(subject)) {
        const ids = [0, 1].map(
          (g) =>
            assignments.push({
              teacher: staff[g === 0 ? "english1" : "english2"],
              subject,
              cls: ci,
              subgroup: g,
              hours: hours!,
            }) - 1,
        );
        return {
          assignments: ids,
          teachers: ids.map((i) => assignments[i]!.teacher),
          subject,
          hours: hours!,
        };
      }
      const i =
        assignments.push({
          teacher: staff[teacherFor(subject, cls.grade)],
          subject,
          cls: ci,
          subgroup: null,
          hours: hours!,
        }) - 1;
      return { assignments: [i], teachers: [assignments[i]!.teacher], subject, hours: hours! };
    });
    return { id: ci, shape: dayShape(weeklyHours(cls.grade)), units: classUnits };
  });
  const { slots, clashes } = buildTimetable(units, rng);

  // One pupil of 7Б came from another school in October (002 §5.36).
  const joined = new Map<number, string>([[classes[2]!.pupils.at(-1)!, "2026-10-12"]]);
  return {
    name: DEMO_SCHOOL,
    people,
    guardianLinks,
    classes,
    assignments,
    slots,
    clashes,
    staff,
    twoChildGuardian,
    joined,
  };
}
