import {
  CURRICULUM,
  dayShape,
  PRIMARY_SPECIALISTS,
  SPLIT,
  type SubjectKey,
  TEACHER_GROUPS,
  weeklyHours,
} from "./curriculum.js";
import { adultName, family } from "./names.js";
import {
  type AssignmentPlan,
  type ClassPlan,
  halves,
  type PersonPlan,
  person,
  type SchoolPlan,
} from "./plan.js";
import type { Rng } from "./random.js";
import { buildTimetable, type TimetableClass, type TimetableUnit } from "./timetable.js";

export const LARGE_SCHOOL = "МБОУ «Лицей № 2»";
export const LARGE_PUPILS = 1000;
const CLASS_SIZE = 25;
/** Classes per grade at full size: four parallels in grades 1–9, two in 10–11. */
const PARALLELS = [4, 4, 4, 4, 4, 4, 4, 4, 4, 2, 2];
/** Tiny schools still get grade 1, a middle grade and grade 7 first. */
const GRADE_PRIORITY = [1, 5, 7, 9, 2, 3, 4, 6, 8, 10, 11];
const LETTERS = "АБВГДЕЖЗИКЛМНОПРСТУФХЦЧШЭЮЯ";
/** Parallels past Я (a school of several thousand) get a number: А2, Б2… */
const letterOf = (i: number) =>
  LETTERS[i % LETTERS.length]! + (i < LETTERS.length ? "" : String(Math.floor(i / LETTERS.length) + 1));
/** Weekly load a specialist teacher aims at (a full rate is 18 hours; most teach more). */
const TARGET_LOAD = 22;

/** How many classes of each grade a school of `pupils` has. */
export function gradeClasses(pupils: number): Map<number, number> {
  const total = Math.max(1, Math.round(pupils / CLASS_SIZE));
  const scale = Math.ceil(total / PARALLELS.reduce((a, b) => a + b, 0));
  const count = new Map<number, number>();
  let placed = 0;
  while (placed < total) {
    for (const g of GRADE_PRIORITY) {
      if (placed >= total) break;
      if ((count.get(g) ?? 0) < PARALLELS[g - 1]! * scale) {
        count.set(g, (count.get(g) ?? 0) + 1);
        placed++;
      }
    }
  }
  return count;
}

/**
 * A whole school of about `pupils` pupils: classes of ~25 in grades 1–11, families with one or two
 * guardians (some with children in two grades), primary class teachers, subject teachers by
 * specialism with balanced loads, the full curriculum per grade and a clash-free timetable.
 */
export function planLargeSchool(pupils: number, rng: Rng): SchoolPlan {
  const people: PersonPlan[] = [];
  const add = (p: PersonPlan) => people.push(p) - 1;
  add(person({ ...adultName(rng, "F"), roles: ["ADMIN"], login: "admin.large" }));
  add(person({ ...adultName(rng, "M"), roles: ["DIRECTOR"], login: "director.large" }));
  add(person({ ...adultName(rng, "F"), roles: ["DEPUTY"], login: "zavuch.large" }));
  let teacherNo = 0;
  const teacher = () =>
    add(
      person({
        ...adultName(rng, rng.chance(0.8) ? "F" : "M"),
        roles: ["TEACHER"],
        login: `teacher${++teacherNo}.large`,
      }),
    );

  // Classes and their sizes.
  const classes: ClassPlan[] = [];
  for (const [grade, n] of [...gradeClasses(pupils)].sort((a, b) => a[0] - b[0])) {
    for (let i = 0; i < n; i++)
      classes.push({
        grade,
        letter: letterOf(i),
        classTeacher: -1,
        pupils: [],
        subgroups: [],
      });
  }
  const seats: number[] = [];
  classes.forEach((_, ci) => {
    const size = Math.floor(pupils / classes.length) + (ci < pupils % classes.length ? 1 : 0);
    for (let k = 0; k < size; k++) seats.push(ci);
  });

  // Families: about one pupil in eight has a brother or sister in another grade.
  const guardianLinks: [number, number, string][] = [];
  const order = rng.shuffle(seats);
  let parentNo = 0;
  for (let i = 0; i < order.length; i++) {
    const group = [order[i]!];
    const nextSeat = order[i + 1];
    if (
      nextSeat !== undefined &&
      classes[nextSeat]!.grade !== classes[group[0]!]!.grade &&
      rng.chance(0.13)
    ) {
      group.push(nextSeat);
      i++;
    }
    const f = family(
      rng,
      group.map((ci) => classes[ci]!.grade),
      0.55,
    );
    const kids = f.children.map((ch, k) => {
      const idx = add(person({ ...ch, roles: ["PUPIL"] }));
      classes[group[k]!]!.pupils.push(idx);
      return idx;
    });
    for (const g of f.guardians) {
      const idx = add(
        person({ ...g, roles: ["GUARDIAN"], email: `roditel${++parentNo}@liceum2.example.com` }),
      );
      for (const kid of kids) guardianLinks.push([idx, kid, g.relation]);
    }
  }
  for (const c of classes) {
    if (SPLIT.size && [...SPLIT].some((s) => CURRICULUM[c.grade]?.[s]))
      c.subgroups = halves(c.pupils, people);
  }

  // Teaching load: primary class teachers, then specialists by group with balanced loads.
  const assignments: AssignmentPlan[] = [];
  const assign = (t: number, subject: SubjectKey, cls: number, subgroup: number | null) =>
    assignments.push({
      teacher: t,
      subject,
      cls,
      subgroup,
      hours: CURRICULUM[classes[cls]!.grade]![subject]!,
    }) - 1;
  classes.forEach((c, ci) => {
    if (c.grade > 4) return;
    c.classTeacher = teacher();
    for (const s of Object.keys(CURRICULUM[c.grade]!) as SubjectKey[]) {
      if (!PRIMARY_SPECIALISTS.has(s)) assign(c.classTeacher, s, ci, null);
    }
  });
  const teaches = new Map<number, Set<number>>(); // class → specialists teaching it
  for (const group of TEACHER_GROUPS) {
    const items: { cls: number; subjects: SubjectKey[]; hours: number; split: boolean }[] = [];
    classes.forEach((c, ci) => {
      const subjects = group.filter(
        (s) => CURRICULUM[c.grade]![s] && (c.grade > 4 || PRIMARY_SPECIALISTS.has(s)),
      );
      if (subjects.length === 0) return;
      const hours = subjects.reduce((h, s) => h + CURRICULUM[c.grade]![s]!, 0);
      items.push({ cls: ci, subjects, hours, split: subjects.some((s) => SPLIT.has(s)) });
    });
    if (items.length === 0) continue;
    const total = items.reduce((h, it) => h + it.hours * (it.split ? 2 : 1), 0);
    const split = items.some((it) => it.split);
    const staff = Array.from({ length: Math.max(split ? 2 : 1, Math.round(total / TARGET_LOAD)) }, teacher);
    const load = new Map(staff.map((t) => [t, 0]));
    const leastLoaded = (k: number) =>
      staff
        .slice()
        .sort((a, b) => load.get(a)! - load.get(b)!)
        .slice(0, k);
    for (const it of items) {
      const chosen = leastLoaded(it.split ? 2 : 1);
      chosen.forEach((t, g) => {
        for (const s of it.subjects) assign(t, s, it.cls, it.split ? g : null);
        load.set(t, load.get(t)! + it.hours);
        if (!teaches.has(it.cls)) teaches.set(it.cls, new Set());
        teaches.get(it.cls)!.add(t);
      });
    }
  }
  // Class teachers of grades 5–11: a teacher of the class who leads no other class.
  const leading = new Set(classes.map((c) => c.classTeacher));
  classes.forEach((c, ci) => {
    if (c.classTeacher >= 0) return;
    const candidates = [...(teaches.get(ci) ?? [])].filter((t) => !leading.has(t));
    c.classTeacher = candidates.length ? rng.pick(candidates) : teacher();
    leading.add(c.classTeacher);
  });

  // Timetable: the busiest classes first.
  const units: TimetableClass[] = classes
    .map((c, ci) => {
      const byKey = new Map<string, TimetableUnit & { assignments: number[]; teachers: number[] }>();
      assignments.forEach((a, ai) => {
        if (a.cls !== ci) return;
        const key = SPLIT.has(a.subject) ? `split:${a.subject}` : `${ai}`;
        if (!byKey.has(key))
          byKey.set(key, { assignments: [], teachers: [], subject: a.subject, hours: a.hours });
        byKey.get(key)!.assignments.push(ai);
        byKey.get(key)!.teachers.push(a.teacher);
      });
      return { id: ci, shape: dayShape(weeklyHours(c.grade)), units: [...byKey.values()] };
    })
    .sort((a, b) => classes[b.id]!.grade - classes[a.id]!.grade);
  // A greedy order can corner itself; another order usually finds a clash-free week.
  let best = buildTimetable(units, rng);
  for (let attempt = 0; attempt < 8 && best.clashes > 0; attempt++) {
    const next = buildTimetable(rng.shuffle(units), rng);
    if (next.clashes < best.clashes) best = next;
  }
  const { slots, clashes } = best;
  return { name: LARGE_SCHOOL, people, guardianLinks, classes, assignments, slots, clashes };
}
