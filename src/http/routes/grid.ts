import { lateLessons, lateLessonsInput } from "../../journal/control.js";
import { journalGrid, journalGridInput } from "../../journal/grid.js";
import { route } from "../route.js";
import type { Api } from "../types.js";

export async function gridRoutes(app: Api) {
  const { db } = app.services;
  route(
    app,
    {
      method: "GET",
      url: "/journal-grid",
      tag: "grid",
      summary: "Страница журнала: класс × предмет × период / Journal grid",
      description:
        "Уроки (столбцы), ученики (строки), отметки и пропуски в ячейках, средневзвешенные баллы — одним запросом. Видят учитель предмета, классный руководитель, администрация.",
      query: journalGridInput.strict(),
    },
    (input, actor) => journalGrid(db, actor, input),
  );
  route(
    app,
    {
      method: "GET",
      url: "/control/late-lessons",
      tag: "control",
      summary: "Незаполненные уроки: посещаемость, тема, задание / Lessons not filled in",
      description: "Для завуча, директора и администратора; по умолчанию — последние 14 дней.",
      query: lateLessonsInput.strict(),
    },
    (input, actor) => lateLessons(db, actor, input),
  );
}
