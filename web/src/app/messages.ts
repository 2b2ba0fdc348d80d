import { authMessages } from "@/features/auth/messages";
import { classTeacherMessages } from "@/features/class-teacher/messages";
import { controlMessages } from "@/features/control/messages";
import { journalMessages } from "@/features/journal/messages";
import { lessonMessages } from "@/features/lessons/messages";
import { reportsMessages } from "@/features/reports/messages";
import { todayMessages } from "@/features/today/messages";
import { defineMessages } from "@/lib/messages";

/** The app's own texts; every feature's table is joined below (add yours to the list). */
const common = defineMessages({
  ru: {
    "app.title": "Журнал",
    "app.skip": "Перейти к содержимому",
    "app.loading": "Загрузка…",
    "app.error": "Не удалось загрузить",
    "app.retry": "Повторить",
    "app.notFound": "Такой страницы нет",
    "app.home": "На главную",
    "app.menu": "Меню",
    "nav.today": "Мой день",
    "nav.journal": "Журнал",
    "lang.switch": "English",
    "lang.label": "Язык интерфейса",
  },
  en: {
    "app.title": "Journal",
    "app.skip": "Skip to content",
    "app.loading": "Loading…",
    "app.error": "Could not load",
    "app.retry": "Retry",
    "app.notFound": "No such page",
    "app.home": "Home",
    "app.menu": "Menu",
    "nav.today": "My day",
    "nav.journal": "Journal",
    "lang.switch": "Русский",
    "lang.label": "Interface language",
  },
});

const tables = [
  common,
  authMessages,
  classTeacherMessages,
  controlMessages,
  reportsMessages,
  journalMessages,
  lessonMessages,
  todayMessages,
] as const;
type Union = (typeof tables)[number]["ru"];
type KeysOf<T> = T extends unknown ? keyof T : never;
export type MessageKey = KeysOf<Union>;
export type Messages = Record<MessageKey, string>;

export const messages = {
  ru: Object.assign({}, ...tables.map((t) => t.ru)) as Messages,
  en: Object.assign({}, ...tables.map((t) => t.en)) as Messages,
};
