/**
 * A name used inside a sentence («по ОБЗР», «русский язык 5»): subject and control-form names
 * are stored as titles («Русский язык», «Контрольная работа»), so a sentence lowers the first
 * letter, except where the first word is an abbreviation or carries a capital of its own
 * (ОБЗР, ИЗО, ОДНКНР, ВПР, «ОБЖ и ПДД», «IT-проект», «iPhone»), which keep their letters.
 */
export function inSentence(name: string): string {
  const first = name.split(/[\s(),.:;«»"-]/, 1)[0] ?? "";
  if (first.length < 2) return name;
  const rest = first.slice(1);
  // An inner capital (ОБЗР, ВПР, МХК, iOS…) marks an abbreviation or a proper spelling.
  if (rest !== rest.toLocaleLowerCase("ru")) return name;
  if (first.charAt(0) === first.charAt(0).toLocaleLowerCase("ru")) return name;
  return first.charAt(0).toLocaleLowerCase("ru") + name.slice(1);
}
