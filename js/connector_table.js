// @ts-check
// The table and install-form views of cyclr-widgets; `render` picks the view from the `_kind`
// trait. An entry module: esbuild bundles it with its parts (js/parts/) into
// cyclr_widgets/static/connector_table.js, since anywidget loads a module from a Blob URL where
// relative imports do not resolve.
import { renderForm } from "./parts/install_form.js";
import { renderTable } from "./parts/table.js";

export { formFields, missingRequired } from "./parts/install_form.js";
export { countLabel, escapeHtml, filterRows, formatCell, MAX_RENDERED, nextIndex, prepareRows, rowsHtml } from "./parts/table.js";
export { actionsHtml, cellHtml, chipHtml, exactTime, iconHtml, relativeTime, safeIconUrl, timeHtml } from "./parts/table_cells.js";

/** @param {{ model: import("./parts/dom.js").Model, el: HTMLElement }} ctx */
function render(ctx) {
  return ctx.model.get("_kind") === "form" ? renderForm(ctx) : renderTable(ctx);
}

export default { render };
export { render };
