import { describe, expect, it } from "vitest";
import { inCase, type PersonName, shortName } from "../../src/journal/names.js";
import { inSentence } from "../../src/journal/rules/wording.js";
import { textsFor } from "../../worker/render/texts.js";

describe("a subject or form name inside a sentence", () => {
  it.each([
    ["Математика", "математика"],
    ["Русский язык", "русский язык"],
    ["Труд (технология)", "труд (технология)"],
    ["ОБЗР", "ОБЗР"],
    ["ИЗО", "ИЗО"],
    ["ОДНКНР", "ОДНКНР"],
    ["ОБЖ и ПДД", "ОБЖ и ПДД"],
    ["ВПР", "ВПР"],
    ["МХК (мировая художественная культура)", "МХК (мировая художественная культура)"],
    ["IT-проект", "IT-проект"],
    ["iOS-разработка", "iOS-разработка"],
    ["Контрольная работа", "контрольная работа"],
    ["Я", "Я"],
    ["", ""],
  ])("%s → %s", (title, inText) => {
    expect(inSentence(title)).toBe(inText);
  });
});

describe("names in the journal's texts", () => {
  const ivanova: PersonName = { lastName: "Иванова", firstName: "Мария", middleName: "Викторовна" };
  it.each([
    [ivanova, "genitive", "Ивановой М. В."],
    [ivanova, "dative", "Ивановой М. В."],
    [ivanova, "nominative", "Иванова М. В."],
    [{ lastName: "Морозов", firstName: "Павел", middleName: "Игоревич" }, "genitive", "Морозова П. И."],
    [{ lastName: "Морозов", firstName: "Павел", middleName: "Игоревич" }, "dative", "Морозову П. И."],
    [
      { lastName: "Кузнецова", firstName: "Анна", middleName: "Сергеевна" },
      "instrumental",
      "Кузнецовой А. С.",
    ],
    // Indeclinable surnames stay as written.
    [{ lastName: "Черных", firstName: "Ольга", middleName: "Петровна" }, "genitive", "Черных О. П."],
    [{ lastName: "Дюма", firstName: "Анна", middleName: null, sex: "F" }, "genitive", "Дюма А."],
    // Without a patronymic the recorded sex decides: a woman's «Смит» does not change, a man's does.
    [{ lastName: "Смит", firstName: "Джейн", middleName: null, sex: "F" }, "genitive", "Смит Д."],
    [{ lastName: "Смит", firstName: "Джон", middleName: null, sex: "M" }, "genitive", "Смита Д."],
  ] as const)("%o in the %s: %s", (person, nameCase, expected) => {
    expect(shortName(inCase(person, nameCase))).toBe(expected);
  });

  it("writes «Сообщение от Ивановой М. В.» and keeps the name in English", () => {
    expect(textsFor("ru").message(ivanova, "Собрание в четверг", false, false)).toBe(
      "Сообщение от Ивановой М. В.:\nСобрание в четверг",
    );
    expect(textsFor("ru").messageShort(ivanova, "Собрание")).toBe("сообщение от Ивановой М. В.: Собрание");
    expect(textsFor("en").message(ivanova, "Meeting", false, false)).toBe(
      "Message from Иванова М. В.:\nMeeting",
    );
  });

  it("says «отметка» for a mark and keeps subject abbreviations", () => {
    const ru = textsFor("ru");
    expect(ru.newMark("Иван", "ОБЗР", "5", "Контрольная работа")).toBe(
      "Новая отметка. Иван, ОБЗР: 5 (контрольная работа)",
    );
    expect(ru.newMark("Иван", "ИЗО", "4", "ВПР")).toBe("Новая отметка. Иван, ИЗО: 4 (ВПР)");
    expect(ru.markShort("ОДНКНР", "5")).toBe("ОДНКНР 5");
    expect(ru.markShort("Математика", "5")).toBe("математика 5");
    expect(ru.correctedShort("ИЗО", "3", "4")).toBe("ИЗО: было 3 → стало 4");
    expect(ru.slot("ОБЗР", 2, 3, "10:00", "10:45", null)).toBe("ОБЗР — вт, 3-й урок 10:00–10:45");
    expect(ru.corrected("Пётр", "Математика", "10.11", "3", "4", "ошибка")).toMatch(/^Исправлена отметка\./);
  });
});
