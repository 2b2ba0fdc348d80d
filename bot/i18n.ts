import { fileURLToPath } from "node:url";
import { I18n } from "@grammyjs/i18n";
import type { BotContext } from "./context.js";

export const LOCALES = ["ru", "en"] as const;

/** Russian for everybody; English only when a user picks it in the settings (kept in the session). */
export function createI18n() {
  return new I18n<BotContext>({
    defaultLocale: "ru",
    useSession: true,
    directory: fileURLToPath(new URL("./locales", import.meta.url)),
    // Telegram's client language is not a request: the person's chosen language is (session, then profile).
    localeNegotiator: async (ctx) =>
      ctx.session?.__language_code ?? ((await ctx.identity())?.person.language === "en" ? "en" : "ru"),
    // Unicode isolation marks around placeables would leak into names and numbers in chats.
    fluentBundleOptions: { useIsolating: false },
  });
}
