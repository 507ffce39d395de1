// @ts-check
/**
 * OAuthPopup front end (anywidget AFM). The kernel owns `status`/`message`; this module only
 * opens the popup inside the click, relays events to the kernel by custom message (protocol
 * table in ARCHITECTURE.md) and renders the model. The sign-in URL arrives by message and lives
 * only in JS memory: it is never written to the model, so it is never saved into the notebook.
 *
 * An entry module: esbuild bundles it with its parts into cyclr_widgets/static/oauth_popup.js
 * (anywidget loads a module from a Blob URL, where relative imports do not resolve).
 */
import { initialize, render } from "./parts/oauth_popup_view.js";

export { browserEnv, createController, OPTIONS, viewState } from "./parts/oauth_popup.js";

// No named `render`/`initialize` export: anywidget treats a named `render` as the legacy API and
// then never calls `initialize`, which would give every view its own flow.
export default { initialize, render };
