import { randomUUID } from "node:crypto";
import type { IncomingMessage } from "node:http";

export const REQUEST_ID_HEADER = "x-request-id";
// An incoming id is trusted only if it cannot smuggle anything into logs or headers.
const WELL_FORMED = /^[A-Za-z0-9._:-]{6,128}$/;

export function genReqId(req: IncomingMessage): string {
  const incoming = req.headers[REQUEST_ID_HEADER];
  return typeof incoming === "string" && WELL_FORMED.test(incoming) ? incoming : randomUUID();
}
