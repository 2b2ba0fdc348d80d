import { z } from "zod";
import {
  addHoliday,
  addHolidayInput,
  createYear,
  createYearInput,
  getSchool,
  listPeriods,
  listPeriodsInput,
  removeHoliday,
  updateSchoolSettings,
  updateSchoolSettingsInput,
} from "../../journal/schools.js";
import { id } from "../../journal/validate.js";
import { holidayRow, obj, periodRow, schoolRow, yearRow } from "../responses.js";
import { route } from "../route.js";
import type { Api } from "../types.js";

export const schoolResponse = schoolRow.extend({
  holidays: z.array(holidayRow).describe("Каникулы и нерабочие дни по дате начала"),
});
export const yearResponse = yearRow.extend({
  periods: z.array(periodRow).describe("Периоды по дате начала, «Год» — после первого"),
});
export const periodsResponse = obj({ year: yearRow, periods: z.array(periodRow) });

export async function schoolRoutes(app: Api) {
  const { db } = app.services;
  route(
    app,
    {
      method: "GET",
      url: "/school",
      tag: "schools",
      summary: "Школа и её настройки / School and settings",
      response: schoolResponse,
    },
    (_input, actor) => getSchool(db, actor),
  );
  route(
    app,
    {
      method: "PATCH",
      url: "/school/settings",
      tag: "schools",
      summary: "Изменить настройки школы / Update school settings",
      description:
        "Только администратор журнала: название, часовой пояс, система периодов, срок заполнения, срок блокировки отметок, пятидневка/шестидневка, тихие часы, срок действия приглашений.",
      body: updateSchoolSettingsInput.strict(),
      response: schoolRow,
    },
    (input, actor) => updateSchoolSettings(db, actor, input),
  );
  route(
    app,
    {
      method: "POST",
      url: "/school/holidays",
      tag: "schools",
      summary: "Добавить каникулы или нерабочие дни / Add a holiday",
      body: addHolidayInput.strict(),
      status: 201,
      response: holidayRow,
    },
    (input, actor) => addHoliday(db, actor, input),
  );
  route(
    app,
    {
      method: "DELETE",
      url: "/school/holidays/:holidayId",
      tag: "schools",
      summary: "Удалить каникулы / Remove a holiday",
      params: z.strictObject({ holidayId: id }),
      status: 204,
    },
    (input, actor) => removeHoliday(db, actor, input),
  );
  route(
    app,
    {
      method: "POST",
      url: "/years",
      tag: "years",
      summary: "Открыть учебный год с периодами / Create a school year",
      description:
        "Периоды — по системе школы (четверти, триместры, полугодия) плюс «Год»; границы можно задать явно.",
      body: createYearInput.strict(),
      status: 201,
      response: yearResponse,
    },
    (input, actor) => createYear(db, actor, input),
  );
  route(
    app,
    {
      method: "GET",
      url: "/periods",
      tag: "years",
      summary: "Периоды учебного года / Periods of a year",
      description: "Без yearId — текущий учебный год.",
      query: listPeriodsInput.strict(),
      response: periodsResponse,
    },
    (input, actor) => listPeriods(db, actor, input),
  );
}
