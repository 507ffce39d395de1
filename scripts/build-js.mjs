// Build each widget's entry module (js/<widget>.js, with its parts from js/parts/) into one ES
// module in cyclr_widgets/static/, and its stylesheet (js/<widget>.css, @import-ing its parts')
// into one CSS file beside it. anywidget loads a module from a Blob URL, where relative imports
// do not resolve: hence the bundle. `npm run build`.
import { mkdirSync, readdirSync } from "node:fs";
import { build } from "esbuild";

const OUT = "cyclr_widgets/static";
const entries = readdirSync("js").filter((n) => /\.(js|css)$/.test(n)).map((n) => `js/${n}`);
mkdirSync(OUT, { recursive: true });
await build({
  entryPoints: entries,
  outdir: OUT,
  bundle: true,
  format: "esm",
  target: "es2020",
  legalComments: "none",
  logLevel: "warning",
});
console.log(`built ${entries.join(", ")} into ${OUT}/`);
