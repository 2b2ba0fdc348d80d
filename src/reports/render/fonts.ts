import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

/**
 * Roboto with Cyrillic ships inside the pdfmake package (fonts/Roboto), so documents need no
 * system font. Both pdfmake and the SVG chart use it.
 */
const require = createRequire(import.meta.url);

export function robotoDir(): string {
  const dir = path.join(path.dirname(require.resolve("pdfmake/package.json")), "fonts", "Roboto");
  if (!existsSync(path.join(dir, "Roboto-Regular.ttf"))) {
    throw new Error(`Не найден шрифт Roboto с кириллицей (${dir}): переустановите зависимости (npm ci).`);
  }
  return dir;
}

export const robotoFiles = () => {
  const dir = robotoDir();
  return {
    normal: path.join(dir, "Roboto-Regular.ttf"),
    bold: path.join(dir, "Roboto-Medium.ttf"),
    italics: path.join(dir, "Roboto-Italic.ttf"),
    bolditalics: path.join(dir, "Roboto-MediumItalic.ttf"),
  };
};
