import { incline } from "lvovich";

/**
 * How a person's name is written in the journal's texts and documents: one home for the name
 * template, so that a signature line, an alert and a report all write «Иванова М. В.», and a
 * sentence that needs another case gets it declined («Сообщение от Ивановой М. В.»).
 *
 * Declension is lvovich's (MIT, no dependencies, TypeScript types, maintained; rules for
 * surnames, first names and patronymics with gender taken from the patronymic or the name),
 * rather than rules of our own. A surname it cannot decline (Черных, Смит for a woman) stays as
 * written, which is also what Russian grammar does for such names.
 */
export interface PersonName {
  lastName: string;
  firstName: string;
  middleName?: string | null;
  /** "M" | "F" where the journal knows it; otherwise guessed from the patronymic and the name. */
  sex?: "M" | "F" | null;
}

/** Russian grammatical cases, as lvovich names them. */
export type NameCase = "nominative" | "genitive" | "dative" | "accusative" | "instrumental" | "prepositional";

/**
 * The name in a grammatical case, ready for `shortName` or `fullName`:
 * `shortName(inCase(author, "genitive"))` → «Ивановой М. В.». Nominative returns it as written.
 */
export function inCase<P extends PersonName>(p: P, nameCase: NameCase): P {
  if (nameCase === "nominative") return p;
  const gender = p.sex === "F" ? "female" : p.sex === "M" ? "male" : undefined;
  const d = incline(
    { last: p.lastName, first: p.firstName, middle: p.middleName ?? null, ...(gender ? { gender } : {}) },
    nameCase,
  );
  return {
    ...p,
    lastName: d.last || p.lastName,
    firstName: d.first || p.firstName,
    middleName: p.middleName ? d.middle || p.middleName : (p.middleName ?? null),
  };
}

/** «Иванова Мария Викторовна». */
export const fullName = (p: PersonName): string =>
  [p.lastName, p.firstName, p.middleName].filter(Boolean).join(" ");

/** «Иванова М. В.» (surname and initials, as on a signature line and in alerts); no patronymic → «Смит Д.». */
export const shortName = (p: PersonName): string =>
  `${p.lastName} ${p.firstName.charAt(0)}.${p.middleName ? ` ${p.middleName.charAt(0)}.` : ""}`;

/** «Иванов Иван» (a pupil in lists and buttons: surname and first name). */
export const pupilName = (p: PersonName) => `${p.lastName} ${p.firstName}`;
