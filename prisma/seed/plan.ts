import type { Role } from "../../src/generated/prisma/enums.js";
import type { SubjectKey } from "./curriculum.js";
import type { SexCode } from "./names.js";
import type { PlacedSlot } from "./timetable.js";

/**
 * A school before it has database ids: people, classes and assignments refer to each other by
 * their index in these arrays. The writers reserve ids and translate.
 */
export interface PersonPlan {
  lastName: string;
  firstName: string;
  middleName: string | null;
  sex: SexCode | null;
  /** "YYYY-MM-DD" */
  birthDate: string | null;
  roles: Role[];
  login: string | null;
  email: string | null;
  phone: string | null;
}

export interface ClassPlan {
  grade: number;
  letter: string;
  /** Index into people. */
  classTeacher: number;
  pupils: number[];
  /** Subgroups of the class ("1 группа", "2 группа") with their pupils. */
  subgroups: { name: string; members: number[] }[];
}

export interface AssignmentPlan {
  teacher: number;
  subject: SubjectKey;
  cls: number;
  /** Index into the class's subgroups, or null for the whole class. */
  subgroup: number | null;
  hours: number;
}

export interface SchoolPlan {
  name: string;
  people: PersonPlan[];
  /** [guardian, pupil, relation] */
  guardianLinks: [number, number, string][];
  classes: ClassPlan[];
  assignments: AssignmentPlan[];
  slots: PlacedSlot[];
  /** Timetable lessons that had to double-book a teacher. */
  clashes: number;
}

export const person = (p: Partial<PersonPlan> & Pick<PersonPlan, "lastName" | "firstName">): PersonPlan => ({
  middleName: null,
  sex: null,
  birthDate: null,
  roles: [],
  login: null,
  email: null,
  phone: null,
  ...p,
});

/** Pupils an assignment teaches: its subgroup's members or the whole class. */
export const pupilsOf = (plan: SchoolPlan, a: AssignmentPlan) => {
  const cls = plan.classes[a.cls]!;
  return a.subgroup === null ? cls.pupils : cls.subgroups[a.subgroup]!.members;
};

/** Splits a class in two halves by surname order, as schools split language groups. */
export function halves(pupils: number[], people: PersonPlan[]): { name: string; members: number[] }[] {
  const sorted = pupils
    .slice()
    .sort((a, b) =>
      `${people[a]!.lastName} ${people[a]!.firstName}`.localeCompare(
        `${people[b]!.lastName} ${people[b]!.firstName}`,
        "ru",
      ),
    );
  const mid = Math.ceil(sorted.length / 2);
  return [
    { name: "1 группа", members: sorted.slice(0, mid) },
    { name: "2 группа", members: sorted.slice(mid) },
  ];
}
