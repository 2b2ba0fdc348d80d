import type { Rng } from "./random.js";

/**
 * Realistic Russian full names: surnames in both genders, first names by generation, patronymics
 * formed from the father's name, so that siblings share a surname and a patronymic.
 */

export type SexCode = "M" | "F";

// [male, female]; "-енко"/"-ых" surnames do not change with gender.
const SURNAMES: readonly (readonly [string, string])[] = [
  ...[
    "Иванов",
    "Смирнов",
    "Кузнецов",
    "Попов",
    "Васильев",
    "Петров",
    "Соколов",
    "Михайлов",
    "Новиков",
    "Фёдоров",
    "Морозов",
    "Волков",
    "Алексеев",
    "Лебедев",
    "Семёнов",
    "Егоров",
    "Павлов",
    "Козлов",
    "Степанов",
    "Николаев",
    "Орлов",
    "Андреев",
    "Макаров",
    "Никитин",
    "Захаров",
    "Зайцев",
    "Соловьёв",
    "Борисов",
    "Яковлев",
    "Григорьев",
    "Романов",
    "Воробьёв",
    "Сергеев",
    "Кузьмин",
    "Фролов",
    "Александров",
    "Дмитриев",
    "Королёв",
    "Гусев",
    "Киселёв",
    "Ильин",
    "Максимов",
    "Поляков",
    "Сорокин",
    "Виноградов",
    "Ковалёв",
    "Белов",
    "Медведев",
    "Антонов",
    "Тарасов",
    "Жуков",
    "Баранов",
    "Филиппов",
    "Комаров",
    "Давыдов",
    "Беляев",
    "Герасимов",
    "Богданов",
    "Осипов",
    "Сидоров",
    "Матвеев",
    "Титов",
    "Марков",
    "Миронов",
    "Крылов",
    "Куликов",
    "Карпов",
    "Власов",
    "Мельников",
    "Денисов",
    "Гаврилов",
    "Тихонов",
    "Казаков",
    "Афанасьев",
    "Данилов",
    "Савельев",
    "Тимофеев",
    "Фомин",
    "Чернов",
    "Абрамов",
    "Мартынов",
    "Ефимов",
    "Федотов",
    "Щербаков",
    "Назаров",
    "Калинин",
    "Исаев",
    "Чернышёв",
    "Быков",
    "Маслов",
    "Родионов",
    "Коновалов",
    "Лазарев",
    "Воронин",
    "Климов",
    "Филатов",
    "Пономарёв",
    "Голубев",
    "Кудрявцев",
    "Прохоров",
    "Наумов",
    "Потапов",
    "Журавлёв",
    "Овчинников",
    "Трофимов",
    "Леонов",
    "Соболев",
    "Ермаков",
    "Колесников",
    "Гончаров",
    "Емельянов",
    "Никифоров",
    "Грачёв",
    "Котов",
    "Гришин",
    "Ефремов",
    "Архипов",
    "Громов",
    "Кириллов",
    "Малышев",
    "Панов",
    "Моисеев",
    "Румянцев",
    "Акимов",
    "Кондратьев",
    "Бирюков",
    "Горбунов",
    "Анисимов",
    "Ершов",
    "Субботин",
    "Шубин",
    "Блинов",
    "Рыбаков",
    "Суханов",
    "Юдин",
    "Зуев",
  ].map((m) => [m, `${m}а`] as const),
  ...["Покровский", "Вишневский", "Островский", "Лужецкий", "Добровольский", "Соколовский"].map(
    (m) => [m, `${m.slice(0, -2)}ая`] as const,
  ),
  ...["Шевченко", "Коваленко", "Бондаренко", "Черных", "Седых"].map((m) => [m, m] as const),
];

// [name, patronymic of a son, patronymic of a daughter]
const MEN: readonly (readonly [string, string, string])[] = [
  ["Александр", "Александрович", "Александровна"],
  ["Сергей", "Сергеевич", "Сергеевна"],
  ["Андрей", "Андреевич", "Андреевна"],
  ["Дмитрий", "Дмитриевич", "Дмитриевна"],
  ["Алексей", "Алексеевич", "Алексеевна"],
  ["Максим", "Максимович", "Максимовна"],
  ["Евгений", "Евгеньевич", "Евгеньевна"],
  ["Иван", "Иванович", "Ивановна"],
  ["Михаил", "Михайлович", "Михайловна"],
  ["Николай", "Николаевич", "Николаевна"],
  ["Владимир", "Владимирович", "Владимировна"],
  ["Павел", "Павлович", "Павловна"],
  ["Роман", "Романович", "Романовна"],
  ["Денис", "Денисович", "Денисовна"],
  ["Антон", "Антонович", "Антоновна"],
  ["Игорь", "Игоревич", "Игоревна"],
  ["Олег", "Олегович", "Олеговна"],
  ["Виктор", "Викторович", "Викторовна"],
  ["Юрий", "Юрьевич", "Юрьевна"],
  ["Константин", "Константинович", "Константиновна"],
  ["Артём", "Артёмович", "Артёмовна"],
  ["Кирилл", "Кириллович", "Кирилловна"],
  ["Вадим", "Вадимович", "Вадимовна"],
  ["Илья", "Ильич", "Ильинична"],
  ["Никита", "Никитич", "Никитична"],
  ["Пётр", "Петрович", "Петровна"],
  ["Григорий", "Григорьевич", "Григорьевна"],
  ["Василий", "Васильевич", "Васильевна"],
  ["Анатолий", "Анатольевич", "Анатольевна"],
  ["Руслан", "Русланович", "Руслановна"],
  ["Егор", "Егорович", "Егоровна"],
  ["Станислав", "Станиславович", "Станиславовна"],
  ["Тимур", "Тимурович", "Тимуровна"],
  ["Фёдор", "Фёдорович", "Фёдоровна"],
  ["Вячеслав", "Вячеславович", "Вячеславовна"],
  ["Леонид", "Леонидович", "Леонидовна"],
];

const WOMEN = [
  "Елена",
  "Ольга",
  "Наталья",
  "Татьяна",
  "Ирина",
  "Светлана",
  "Анна",
  "Юлия",
  "Екатерина",
  "Марина",
  "Мария",
  "Анастасия",
  "Евгения",
  "Оксана",
  "Надежда",
  "Людмила",
  "Галина",
  "Вера",
  "Ксения",
  "Виктория",
  "Дарья",
  "Кристина",
  "Алёна",
  "Валентина",
  "Лариса",
  "Инна",
  "Жанна",
  "Эльвира",
] as const;

const BOYS = [
  "Александр",
  "Максим",
  "Артём",
  "Михаил",
  "Иван",
  "Дмитрий",
  "Даниил",
  "Кирилл",
  "Егор",
  "Матвей",
  "Тимофей",
  "Марк",
  "Лев",
  "Никита",
  "Илья",
  "Андрей",
  "Алексей",
  "Роман",
  "Фёдор",
  "Владимир",
  "Ярослав",
  "Глеб",
  "Сергей",
  "Арсений",
  "Степан",
  "Мирон",
  "Николай",
  "Платон",
  "Тимур",
  "Савелий",
  "Денис",
  "Георгий",
  "Макар",
  "Захар",
  "Семён",
  "Богдан",
  "Вадим",
  "Константин",
  "Даниэль",
  "Павел",
] as const;

const GIRLS = [
  "Анна",
  "Мария",
  "София",
  "Алиса",
  "Виктория",
  "Полина",
  "Елизавета",
  "Александра",
  "Дарья",
  "Варвара",
  "Ксения",
  "Вероника",
  "Ева",
  "Василиса",
  "Арина",
  "Екатерина",
  "Милана",
  "Таисия",
  "Ульяна",
  "Злата",
  "Кира",
  "Валерия",
  "Алёна",
  "Агата",
  "Есения",
  "Маргарита",
  "Анастасия",
  "Ангелина",
  "Диана",
  "Яна",
  "Мирослава",
  "Вера",
  "Алина",
  "Кристина",
  "Олеся",
  "Ника",
] as const;

export interface FullName {
  lastName: string;
  firstName: string;
  middleName: string;
  sex: SexCode;
}

/** An adult (teacher, staff): a random surname, name and patronymic. */
export function adultName(rng: Rng, sex: SexCode): FullName {
  const [male, female] = rng.pick(SURNAMES);
  const father = rng.pick(MEN);
  return sex === "M"
    ? { lastName: male, firstName: rng.pick(MEN)[0], middleName: father[1], sex }
    : { lastName: female, firstName: rng.pick(WOMEN), middleName: father[2], sex };
}

export interface Child extends FullName {
  /** "YYYY-MM-DD" */
  birthDate: string;
  grade: number;
}

export interface Family {
  children: Child[];
  /** Mother first, then father; 1 or 2 of them. */
  guardians: (FullName & { relation: "мать" | "отец" })[];
}

/**
 * A pupil of grade g in the 2026/2027 year was born in 2020 − g (grade 1: 2019, 6.7–7.7 years
 * old on 1 September), which is how Russian schools take children (from 6.5 years).
 */
export function birthDateFor(rng: Rng, grade: number): string {
  const year = 2020 - grade;
  const dayOfYear = rng.int(0, 364);
  return new Date(Date.UTC(year, 0, 1 + dayOfYear)).toISOString().slice(0, 10);
}

/**
 * One family: children of the given grades sharing the father's surname and patronymic, the
 * mother and (with probability `bothParents`) the father as guardians.
 */
export function family(rng: Rng, grades: readonly number[], bothParents = 0.5): Family {
  const [male, female] = rng.pick(SURNAMES);
  const father = rng.pick(MEN);
  const children = grades.map((grade): Child => {
    const sex: SexCode = rng.chance(0.5) ? "M" : "F";
    return {
      lastName: sex === "M" ? male : female,
      firstName: sex === "M" ? rng.pick(BOYS) : rng.pick(GIRLS),
      middleName: sex === "M" ? father[1] : father[2],
      sex,
      grade,
      birthDate: birthDateFor(rng, grade),
    };
  });
  const mother = { ...adultName(rng, "F"), lastName: female, relation: "мать" as const };
  const dad = {
    lastName: male,
    firstName: father[0],
    middleName: rng.pick(MEN)[1],
    sex: "M" as const,
    relation: "отец" as const,
  };
  const guardians = rng.chance(bothParents) ? [mother, dad] : rng.chance(0.85) ? [mother] : [dad];
  return { children, guardians };
}

/** "Иванова М. В." — a teacher's short name as Russian schools print it. */
export const shortName = (p: { lastName: string; firstName: string; middleName?: string | null }) =>
  `${p.lastName} ${p.firstName[0]}.${p.middleName ? ` ${p.middleName[0]}.` : ""}`;

const TRANSLIT: Record<string, string> = {
  а: "a",
  б: "b",
  в: "v",
  г: "g",
  д: "d",
  е: "e",
  ё: "e",
  ж: "zh",
  з: "z",
  и: "i",
  й: "y",
  к: "k",
  л: "l",
  м: "m",
  н: "n",
  о: "o",
  п: "p",
  р: "r",
  с: "s",
  т: "t",
  у: "u",
  ф: "f",
  х: "kh",
  ц: "ts",
  ч: "ch",
  ш: "sh",
  щ: "shch",
  ъ: "",
  ы: "y",
  ь: "",
  э: "e",
  ю: "yu",
  я: "ya",
};
export const translit = (s: string) => [...s.toLowerCase()].map((ch) => TRANSLIT[ch] ?? ch).join("");

/** "ivanova.mv": the surname and initials, as school logins usually look. */
export const loginOf = (p: { lastName: string; firstName: string; middleName?: string | null }) =>
  `${translit(p.lastName)}.${translit(p.firstName[0]!)[0]}${p.middleName ? translit(p.middleName[0]!)[0] : ""}`;
