/**
 * A feature's texts: Russian first, and English with exactly the same keys (the type checks it).
 * Each feature keeps its own `messages.ts`; app/messages.ts joins them.
 */
export function defineMessages<const T extends Record<string, string>>(m: {
  ru: T;
  en: Record<keyof T, string>;
}) {
  return m;
}
