// Every widget stylesheet reads its colours from theme.css's --cw-* tokens: no literal colour
// and no --jp-* variable outside theme.css (the one place that maps JupyterLab's variables and
// holds the fallbacks), so a theme is followed everywhere or nowhere.
import { strict as assert } from "node:assert";
import { readdirSync, readFileSync } from "node:fs";
import { test } from "node:test";

const LITERAL = /#[0-9a-f]{3,8}\b|\b(?:rgba?|hsla?|hwb|lab|lch|oklab|oklch|color)\(|(?<![-\w])(?:white|black|gray|grey|red|green|blue|orange|yellow|silver|navy|maroon|purple|teal)\b(?!-)/i;
const files = [
  ...readdirSync("js").filter((n) => n.endsWith(".css")),
  ...readdirSync("js/parts").filter((n) => n.endsWith(".css")).map((n) => `parts/${n}`),
].filter((n) => n !== "parts/theme.css");

for (const name of files) {
  test(`${name} uses --cw-* tokens only`, () => {
    const text = readFileSync(`js/${name}`, "utf8").replace(/\/\*[\s\S]*?\*\//g, "");
    text.split("\n").forEach((line, i) => {
      assert.ok(!LITERAL.test(line), `js/${name}:${i + 1}: a literal colour: ${line.trim()}`);
      assert.ok(!line.includes("--jp-"), `js/${name}:${i + 1}: a --jp-* variable: ${line.trim()}`);
    });
  });
}
