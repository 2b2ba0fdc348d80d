import { createHash, randomBytes } from "node:crypto";
import { hash as argonHash, verify as argonVerify } from "@node-rs/argon2";
import { jwtVerify, SignJWT } from "jose";
import { z } from "zod";
import type { Db } from "../db/client.js";
import type { Role } from "../generated/prisma/enums.js";
import type { Actor } from "./actor.js";
import { DomainError } from "./errors.js";
import { line, parseInput, secret } from "./validate.js";

/**
 * Sign-in for the HTTP API: a short-lived access token (JWT, HS256) and a long-lived refresh
 * token that is random, stored only as its sha256, rotated on every use and revocable.
 */
export interface AuthConfig {
  JWT_SECRET: string;
  ACCESS_TOKEN_TTL_MIN: number;
  REFRESH_TOKEN_TTL_DAYS: number;
}

export const loginInput = z.strictObject({
  login: line(200),
  password: secret(200),
});
export const refreshInput = z.strictObject({
  refreshToken: z.string().regex(/^[\w-]{20,200}$/, "неверный токен"),
});

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  tokenType: "Bearer";
  expiresIn: number;
  refreshExpiresAt: string;
}

const badCredentials = () =>
  new DomainError("unauthorized", "Неверный логин или пароль. Проверьте раскладку и Caps Lock.");
const blocked = () =>
  new DomainError(
    "forbidden",
    "Учётная запись заблокирована. Обратитесь к администратору электронного журнала.",
  );
const badRefresh = () =>
  new DomainError("unauthorized", "Сессия истекла или завершена. Войдите заново с логином и паролем.");

export const sha256 = (value: string) => createHash("sha256").update(value).digest("hex");
const secretKey = (config: AuthConfig) => new TextEncoder().encode(config.JWT_SECRET);

// A hash to verify against when the login is unknown, so timing does not reveal which logins exist.
let dummyHash: Promise<string> | undefined;
const getDummyHash = () => {
  dummyHash ??= argonHash(randomBytes(16).toString("hex"));
  return dummyHash;
};

/** A new pair for a person already verified (e.g. right after they changed their password). */
export async function issueTokens(
  db: Db,
  config: AuthConfig,
  person: { id: number; schoolId: number },
): Promise<TokenPair> {
  const ttlSec = config.ACCESS_TOKEN_TTL_MIN * 60;
  const accessToken = await new SignJWT({ sch: person.schoolId })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setSubject(String(person.id))
    .setIssuedAt()
    .setExpirationTime(`${ttlSec}s`)
    .sign(secretKey(config));
  const refreshToken = randomBytes(32).toString("base64url");
  const expiresAt = new Date(Date.now() + config.REFRESH_TOKEN_TTL_DAYS * 86_400_000);
  await db.refreshToken.create({
    data: { personId: person.id, tokenHash: sha256(refreshToken), expiresAt },
  });
  return {
    accessToken,
    refreshToken,
    tokenType: "Bearer" as const,
    expiresIn: ttlSec,
    refreshExpiresAt: expiresAt.toISOString(),
  };
}

export async function login(db: Db, config: AuthConfig, input: unknown): Promise<TokenPair> {
  const { login: name, password } = parseInput(loginInput, input);
  const person = await db.person.findUnique({
    where: { login: name },
    select: { id: true, schoolId: true, passwordHash: true, blockedAt: true },
  });
  const ok = await argonVerify(person?.passwordHash ?? (await getDummyHash()), password).catch(() => false);
  if (!person?.passwordHash || !ok) throw badCredentials();
  if (person.blockedAt) throw blocked();
  return issueTokens(db, config, person);
}

/** Rotation: the presented token is revoked and a new pair issued. A reused token revokes all. */
export async function refresh(db: Db, config: AuthConfig, input: unknown): Promise<TokenPair> {
  const { refreshToken } = parseInput(refreshInput, input);
  const row = await db.refreshToken.findUnique({
    where: { tokenHash: sha256(refreshToken) },
    include: { person: { select: { id: true, schoolId: true, blockedAt: true } } },
  });
  if (!row || row.expiresAt.getTime() <= Date.now()) throw badRefresh();
  if (row.revokedAt) {
    // A revoked token presented again means it leaked: end every session of that person.
    await revokeAllRefreshTokens(db, row.personId);
    throw badRefresh();
  }
  if (row.person.blockedAt) throw blocked();
  const claimed = await db.refreshToken.updateMany({
    where: { id: row.id, revokedAt: null },
    data: { revokedAt: new Date() },
  });
  if (claimed.count === 0) throw badRefresh();
  return issueTokens(db, config, row.person);
}

/**
 * Sign-out: deletes the given refresh token (a revoked row would later look like a stolen token
 * being replayed), or revokes every one of the actor's when none is given.
 */
export async function logout(db: Db, actor: Actor, input: { refreshToken?: string }): Promise<void> {
  if (input.refreshToken) {
    await db.refreshToken.deleteMany({
      where: { personId: actor.personId, tokenHash: sha256(input.refreshToken) },
    });
  } else {
    await revokeAllRefreshTokens(db, actor.personId);
  }
}

export async function revokeAllRefreshTokens(db: Pick<Db, "refreshToken">, personId: number) {
  await db.refreshToken.updateMany({ where: { personId, revokedAt: null }, data: { revokedAt: new Date() } });
}

/**
 * Refresh token → the acting person, without rotating it: the web app's plain download links
 * (GET only) are authenticated by the HttpOnly session cookie that holds it.
 */
export async function actorFromRefreshToken(db: Db, token: string): Promise<Actor> {
  const row = await db.refreshToken.findUnique({
    where: { tokenHash: sha256(token) },
    select: {
      revokedAt: true,
      expiresAt: true,
      person: { select: { id: true, schoolId: true, blockedAt: true, roles: { select: { role: true } } } },
    },
  });
  if (!row || row.revokedAt || row.expiresAt.getTime() <= Date.now()) throw badRefresh();
  if (row.person.blockedAt) throw blocked();
  const { person } = row;
  return { personId: person.id, schoolId: person.schoolId, roles: person.roles.map((r) => r.role as Role) };
}

/**
 * Access token → the acting person. Roles and the block flag are read fresh, so a role change
 * or a block takes effect at once rather than when the token expires.
 */
export async function actorFromAccessToken(db: Db, config: AuthConfig, token: string): Promise<Actor> {
  let personId: number;
  try {
    const { payload } = await jwtVerify(token, secretKey(config), { algorithms: ["HS256"] });
    personId = Number(payload.sub);
  } catch {
    throw new DomainError(
      "unauthorized",
      "Токен доступа недействителен или истёк. Обновите его или войдите заново.",
    );
  }
  const person = await db.person.findUnique({
    where: { id: personId },
    select: { id: true, schoolId: true, blockedAt: true, roles: { select: { role: true } } },
  });
  if (!person) throw new DomainError("unauthorized", "Пользователь не найден. Войдите заново.");
  if (person.blockedAt) throw blocked();
  return { personId: person.id, schoolId: person.schoolId, roles: person.roles.map((r) => r.role as Role) };
}
