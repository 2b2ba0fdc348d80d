import type { Config } from "../config.js";

type BotConfig = Partial<Pick<Config, "BOT_USERNAME" | "BOT_TOKEN" | "BOT_API_ROOT">>;

/**
 * The bot's @username for deep links on printed invitations: BOT_USERNAME if set, else asked
 * once from the Bot API (getMe) with BOT_TOKEN; null when neither answers (the slips then say
 * to send /start <code> to the school's bot). A failed lookup is retried on the next call.
 */
export function botUsernameResolver(config: BotConfig, fetchImpl: typeof fetch = fetch) {
  let known: string | null = config.BOT_USERNAME ?? null;
  return async (): Promise<string | null> => {
    if (known || !config.BOT_TOKEN) return known;
    try {
      const root = config.BOT_API_ROOT ?? "https://api.telegram.org";
      const res = await fetchImpl(`${root}/bot${config.BOT_TOKEN}/getMe`, {
        signal: AbortSignal.timeout(5000),
      });
      const body = (await res.json()) as { ok?: boolean; result?: { username?: string } };
      known = body.ok && body.result?.username ? body.result.username : null;
    } catch {
      known = null;
    }
    return known;
  };
}
