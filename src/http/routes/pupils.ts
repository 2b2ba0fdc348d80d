import { z } from "zod";
import {
  enrolPupil,
  enrolPupilInput,
  leavePupil,
  leavePupilInput,
  linkGuardian,
  linkGuardianInput,
  transferPupil,
  transferPupilInput,
  unlinkGuardian,
} from "../../journal/roster.js";
import { id } from "../../journal/validate.js";
import { enrolmentRow, guardianLinkRow, obj } from "../responses.js";
import { route } from "../route.js";
import { bodyOf } from "../schemas.js";
import type { Api } from "../types.js";

const pupilParams = z.strictObject({ pupilId: id });
const linkParams = z.strictObject({ guardianId: id, pupilId: id });

export const transferResponse = obj({
  closed: enrolmentRow.describe("Прежнее зачисление, закрытое датой перевода"),
  opened: enrolmentRow.describe("Зачисление в новый класс"),
});

export async function pupilRoutes(app: Api) {
  const { db } = app.services;
  route(
    app,
    {
      method: "POST",
      url: "/pupils/:pupilId/enrol",
      tag: "pupils",
      summary: "Зачислить в класс / Enrol",
      description: "С датой и номером приказа; история зачислений сохраняется.",
      params: pupilParams,
      body: bodyOf(enrolPupilInput, "pupilId"),
      status: 201,
      response: enrolmentRow,
    },
    (input, actor) => enrolPupil(db, actor, input),
  );
  route(
    app,
    {
      method: "POST",
      url: "/pupils/:pupilId/transfer",
      tag: "pupils",
      summary: "Перевести в другой класс / Transfer",
      params: pupilParams,
      body: bodyOf(transferPupilInput, "pupilId"),
      response: transferResponse,
    },
    (input, actor) => transferPupil(db, actor, input),
  );
  route(
    app,
    {
      method: "POST",
      url: "/pupils/:pupilId/leave",
      tag: "pupils",
      summary: "Выбытие из школы / Leave",
      params: pupilParams,
      body: bodyOf(leavePupilInput, "pupilId"),
      response: enrolmentRow,
    },
    (input, actor) => leavePupil(db, actor, input),
  );
  route(
    app,
    {
      method: "PUT",
      url: "/guardians/:guardianId/pupils/:pupilId",
      tag: "guardians",
      summary: "Связать родителя с ребёнком / Link a guardian",
      params: linkParams,
      body: bodyOf(linkGuardianInput, "guardianId", "pupilId").nullish(),
      response: guardianLinkRow,
    },
    (input, actor) => linkGuardian(db, actor, input),
  );
  route(
    app,
    {
      method: "DELETE",
      url: "/guardians/:guardianId/pupils/:pupilId",
      tag: "guardians",
      summary: "Снять связь родителя с ребёнком / Unlink a guardian",
      params: linkParams,
      status: 204,
    },
    (input, actor) => unlinkGuardian(db, actor, input),
  );
}
