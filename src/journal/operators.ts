import { createHash, randomBytes } from "node:crypto";
import { hash as argonHash, verify as argonVerify } from "@node-rs/argon2";
import { jwtVerify, SignJWT } from "jose";
import { z } from "zod";
import type { Db } from "../db/client.js";
import type { AuthConfig } from "./auth.js";
import { loginSchema, passwordSchema } from "./credentials.js";
import { conflict, DomainError } from "./errors.js";
import { parseInput } from "./validate.js";

/**
 * Deployment operators (issue 10 §2): the people who run the installation — the queue dashboard
 * pauses every school's alerts — as opposed to a school's journal admin, whose reach is one
 * school. An operator is no Person and has no school Role; the command line creates one. Their
 * session is a JWT under a key derived from JWT_SECRET for this purpose only, so neither kind of
 * token passes for the other.
 */
export const OPERATOR_SESSION_HOURS = 8;

export const operatorInput = z.strictObject({ login: loginSchema, password: passwordSchema });
const operatorLoginInput = z.strictObject({
  login: z.string().trim().min(1, "укажите логин").max(200, "не длиннее 200 символов"),
  password: z.string().min(1, "укажите пароль").max(200, "не длиннее 200 символов"),
});

const operatorKey = (config: Pick<AuthConfig, "JWT_SECRET">) =>
  createHash("sha256").update(`zhurnal operator session\n${config.JWT_SECRET}`).digest();

const denied = () => new DomainError("unauthorized", "Неверный логин или пароль оператора.");

/** `journal create-operator`: a new operator; the login is unique among operators. */
export async function createOperator(db: Db, input: unknown): Promise<{ id: number; login: string }> {
  const data = parseInput(operatorInput, input);
  if (await db.operator.findUnique({ where: { login: data.login }, select: { id: true } })) {
    throw conflict(`Оператор «${data.login}» уже есть.`);
  }
  return db.operator.create({
    data: { login: data.login, passwordHash: await argonHash(data.password) },
    select: { id: true, login: true },
  });
}

let dummyHash: Promise<string> | undefined;

/** Login and password → a session token (JWT, OPERATOR_SESSION_HOURS) for the /admin cookie. */
export async function operatorLogin(db: Db, config: Pick<AuthConfig, "JWT_SECRET">, input: unknown) {
  const { login, password } = parseInput(operatorLoginInput, input);
  const op = await db.operator.findUnique({ where: { login }, select: { id: true, passwordHash: true } });
  dummyHash ??= argonHash(randomBytes(16).toString("hex"));
  // An unknown login costs the same time as a wrong password.
  const ok = await argonVerify(op?.passwordHash ?? (await dummyHash), password).catch(() => false);
  if (!op || !ok) throw denied();
  const token = await new SignJWT({ op: true })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setSubject(String(op.id))
    .setAudience("zhurnal-operator")
    .setIssuedAt()
    .setExpirationTime(`${OPERATOR_SESSION_HOURS}h`)
    .sign(operatorKey(config));
  return { token, maxAgeSec: OPERATOR_SESSION_HOURS * 3600 };
}

/** A session token → the operator, or null when it is no valid operator session (of a live operator). */
export async function operatorFromToken(
  db: Db,
  config: Pick<AuthConfig, "JWT_SECRET">,
  token: string,
): Promise<{ id: number; login: string } | null> {
  try {
    const { payload } = await jwtVerify(token, operatorKey(config), {
      algorithms: ["HS256"],
      audience: "zhurnal-operator",
    });
    const id = Number(payload.sub);
    if (!Number.isSafeInteger(id) || id < 1 || id > 2_147_483_647) return null;
    return await db.operator.findUnique({ where: { id }, select: { id: true, login: true } });
  } catch {
    return null;
  }
}
