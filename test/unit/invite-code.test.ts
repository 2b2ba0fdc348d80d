import { describe, expect, it } from "vitest";
import {
  generateInviteCode,
  hashInviteCode,
  INVITE_ALPHABET,
  normalizeInviteCode,
} from "../../src/journal/invites.js";

describe("invite codes", () => {
  it("are 8 characters from an alphabet without look-alikes", () => {
    for (const ch of "0O1IL") expect(INVITE_ALPHABET).not.toContain(ch);
    const codes = new Set(Array.from({ length: 200 }, generateInviteCode));
    expect(codes.size).toBe(200);
    for (const c of codes) expect(c).toMatch(new RegExp(`^[${INVITE_ALPHABET}]{8}$`));
  });
  it.each([
    ["abcd efgh", "ABCDEFGH"],
    ["ABCD-EFGH", "ABCDEFGH"],
    [" abCDefGH ", "ABCDEFGH"],
  ])("normalises %j to %s", (typed, code) => {
    expect(normalizeInviteCode(typed)).toBe(code);
    expect(hashInviteCode(typed)).toBe(hashInviteCode(code));
  });
});
