import { createContext, type ReactNode, useCallback, useContext, useMemo, useState } from "react";
import { type MessageKey, messages } from "@/app/messages";

/**
 * Russian first, English on request (kept in localStorage). The server's own messages (refusals,
 * rules) come in Russian and are shown as they are.
 */
export type Lang = "ru" | "en";
export type { MessageKey };

const STORAGE_KEY = "zh_lang";
const initial = (): Lang => (globalThis.localStorage?.getItem(STORAGE_KEY) === "en" ? "en" : "ru");

interface I18n {
  lang: Lang;
  setLang(lang: Lang): void;
  /** The text for a key; `{name}` placeholders take `vars`. */
  t(key: MessageKey, vars?: Record<string, string | number>): string;
}

const Ctx = createContext<I18n | null>(null);

export function format(template: string, vars?: Record<string, string | number>) {
  return vars ? template.replace(/\{(\w+)\}/g, (_, k: string) => String(vars[k] ?? `{${k}}`)) : template;
}

export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(initial);
  const setLang = useCallback((next: Lang) => {
    localStorage.setItem(STORAGE_KEY, next);
    document.documentElement.lang = next;
    setLangState(next);
  }, []);
  const value = useMemo<I18n>(
    () => ({ lang, setLang, t: (key, vars) => format(messages[lang][key], vars) }),
    [lang, setLang],
  );
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useI18n(): I18n {
  const ctx = useContext(Ctx);
  if (!ctx) throw new Error("I18nProvider is missing");
  return ctx;
}
export const useT = () => useI18n().t;
