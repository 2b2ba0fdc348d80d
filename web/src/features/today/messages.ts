import { defineMessages } from "@/lib/messages";

export const todayMessages = defineMessages({
  ru: {
    "today.title": "Мой день",
    "today.none": "Уроков в этот день нет.",
    "today.prev": "Предыдущий день",
    "today.next": "Следующий день",
    "today.today": "Сегодня",
    "today.substituting": "замена",
    "today.done": "всё заполнено",
    "today.missing.attendance": "посещаемость",
    "today.missing.topic": "тема",
    "today.missing.homework": "задание",
    "today.missing.control_marks": "отметки за работу",
    "today.missing": "Не заполнено:",
    "today.grid": "журнал",
  },
  en: {
    "today.title": "My day",
    "today.none": "No lessons on this day.",
    "today.prev": "Previous day",
    "today.next": "Next day",
    "today.today": "Today",
    "today.substituting": "substitution",
    "today.done": "all filled in",
    "today.missing.attendance": "attendance",
    "today.missing.topic": "topic",
    "today.missing.homework": "homework",
    "today.missing.control_marks": "test marks",
    "today.missing": "Missing:",
    "today.grid": "journal",
  },
});
