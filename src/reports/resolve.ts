import type { DbOrTx } from "../db/client.js";

/** Turns what an IT admin types ("5А", "Математика", "1 четверть", "Иванов Иван") into ids. */
export class ResolveError extends Error {}

export async function resolveYear(db: DbOrTx, yearName?: string, schoolId?: number) {
  const years = await db.academicYear.findMany({
    where: { ...(yearName ? { name: yearName } : {}), ...(schoolId ? { schoolId } : {}) },
    orderBy: { startDate: "desc" },
  });
  if (years.length === 0)
    throw new ResolveError(
      yearName ? `Учебный год «${yearName}» не найден.` : "В базе нет ни одного учебного года.",
    );
  const schools = new Set(years.map((y) => y.schoolId));
  if (schools.size > 1) throw new ResolveError("В базе несколько школ: укажите --school <id>.");
  return years[0]!;
}

// Latin letters that look like Cyrillic ones, so "5A" typed on an English keyboard finds "5А".
const LOOKALIKE: Record<string, string> = {
  A: "А",
  B: "В",
  E: "Е",
  K: "К",
  M: "М",
  H: "Н",
  O: "О",
  P: "Р",
  C: "С",
  T: "Т",
  X: "Х",
};

export async function resolveClass(db: DbOrTx, yearId: number, name: string) {
  const m = /^\s*(\d{1,2})\s*-?\s*(\p{L})\s*$/u.exec(name);
  if (!m) throw new ResolveError(`Класс «${name}» не понят: пишите как 5А.`);
  const letter = m[2]!.toUpperCase();
  const cls = await db.class.findFirst({
    where: { yearId, grade: Number(m[1]), letter: { in: [letter, LOOKALIKE[letter] ?? letter] } },
  });
  if (!cls) throw new ResolveError(`Класс «${name}» не найден в этом учебном году.`);
  return cls;
}

export async function resolveSubject(db: DbOrTx, schoolId: number, name: string) {
  const all = await db.subject.findMany({ where: { schoolId } });
  const want = name.trim().toLocaleLowerCase("ru");
  const exact = all.filter((s) => s.name.toLocaleLowerCase("ru") === want);
  const found = exact.length ? exact : all.filter((s) => s.name.toLocaleLowerCase("ru").startsWith(want));
  if (found.length === 1) return found[0]!;
  if (found.length === 0) throw new ResolveError(`Предмет «${name}» не найден.`);
  throw new ResolveError(`Предмет «${name}» неоднозначен: ${found.map((s) => s.name).join(", ")}.`);
}

export async function resolvePeriod(db: DbOrTx, yearId: number, name: string) {
  const periods = await db.period.findMany({
    where: { yearId },
    orderBy: [{ kind: "asc" }, { number: "asc" }],
  });
  const want = name.trim().toLocaleLowerCase("ru");
  const found = periods.find(
    (p) =>
      p.name.toLocaleLowerCase("ru") === want ||
      (p.kind !== "YEAR" && String(p.number) === want) ||
      (p.kind === "YEAR" && ["год", "year"].includes(want)),
  );
  if (!found)
    throw new ResolveError(`Период «${name}» не найден: есть ${periods.map((p) => p.name).join(", ")}.`);
  return found;
}

export async function resolvePupil(db: DbOrTx, schoolId: number, name: string) {
  const [lastName, firstName] = name.trim().split(/\s+/);
  const found = await db.person.findMany({
    where: {
      schoolId,
      lastName: { equals: lastName, mode: "insensitive" },
      ...(firstName ? { firstName: { equals: firstName, mode: "insensitive" } } : {}),
      roles: { some: { role: "PUPIL" } },
    },
  });
  if (found.length === 1) return found[0]!;
  if (found.length === 0) throw new ResolveError(`Ученик «${name}» не найден.`);
  throw new ResolveError(`Учеников «${name}» несколько: укажите фамилию и имя.`);
}
