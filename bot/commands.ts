import type { Bot } from "grammy";
import type { BotContext } from "./context.js";

/** The command menu Telegram shows, in Russian and English. */
const COMMANDS = {
  ru: [
    ["today", "Уроки на сегодня"],
    ["att", "Посещаемость текущего урока"],
    ["topic", "Тема урока: /topic Дроби"],
    ["hw", "Домашнее задание: /hw §12 №3"],
    ["kr", "Форма контроля урока"],
    ["fix", "Исправить отметку"],
    ["class", "Классное руководство"],
    ["control", "Контроль заполнения журнала"],
    ["diary", "Дневник ребёнка"],
    ["timetable", "Расписание"],
    ["absent", "Ребёнок не придёт"],
    ["write", "Написать учителю"],
    ["inbox", "Сообщения"],
    ["settings", "Настройки"],
    ["stop", "Отключить этот чат"],
  ],
  en: [
    ["today", "Today's lessons"],
    ["att", "Attendance of the current lesson"],
    ["topic", "Lesson topic: /topic Fractions"],
    ["hw", "Homework: /hw §12 No. 3"],
    ["kr", "Form of control"],
    ["fix", "Correct a mark"],
    ["class", "Class teacher"],
    ["control", "Journal control"],
    ["diary", "Child's diary"],
    ["timetable", "Timetable"],
    ["absent", "Report an absence"],
    ["write", "Write to a teacher"],
    ["inbox", "Messages"],
    ["settings", "Settings"],
    ["stop", "Unlink this chat"],
  ],
} as const;

export async function setCommands(bot: Bot<BotContext>) {
  const list = (lang: keyof typeof COMMANDS) =>
    COMMANDS[lang].map(([command, description]) => ({ command, description }));
  await bot.api.setMyCommands(list("ru"));
  await bot.api.setMyCommands(list("en"), { language_code: "en" });
}
