/**
 * How a person's name is written in the journal's texts and documents: one home for the name
 * template, so that a signature line, an alert and a report all write «Иванова М. В.».
 */
export interface PersonName {
  lastName: string;
  firstName: string;
  middleName?: string | null;
}

/** «Иванова Мария Викторовна». */
export const fullName = (p: PersonName) => [p.lastName, p.firstName, p.middleName].filter(Boolean).join(" ");

/** «Иванова М. В.» (surname and initials, as on a signature line); no patronymic → «Смит Д.». */
export const shortName = (p: PersonName) =>
  `${p.lastName} ${p.firstName.charAt(0)}.${p.middleName ? ` ${p.middleName.charAt(0)}.` : ""}`;
