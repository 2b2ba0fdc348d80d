import { verify } from "@node-rs/argon2";
import type { Db } from "../../src/db/client.js";

/** The seeds' password, printed in the README: anyone knows it. */
export const DEMO_PASSWORD = "demo-password";

/** The administration logins of the demo and large seeds, as the README prints them. */
const PUBLISHED_LOGINS = ["admin", "director", "zavuch", "admin.large", "director.large", "zavuch.large"];

/**
 * Which of the seeds' published administration logins still sign in with the published
 * password: a production start refuses while any does (anyone could sign in as that admin).
 */
export async function publishedPasswordLogins(db: Pick<Db, "person">): Promise<string[]> {
  const people = await db.person.findMany({
    where: { login: { in: PUBLISHED_LOGINS }, passwordHash: { not: null } },
    select: { login: true, passwordHash: true },
  });
  const open: string[] = [];
  for (const p of people) {
    if (await verify(p.passwordHash!, DEMO_PASSWORD).catch(() => false)) open.push(p.login!);
  }
  return open;
}
