// Starts Swagger UI on /docs (web/api_docs.py): a file, not an inline script, so the page
// runs under the Content-Security-Policy of every staff page (script-src 'self').
(function () {
  "use strict";
  const holder = document.getElementById("swagger-ui");
  if (!holder || typeof window.SwaggerUIBundle !== "function") return;
  const ui = window.SwaggerUIBundle;
  window.ui = ui({
    url: holder.dataset.openapiUrl,
    dom_id: "#swagger-ui",
    layout: "BaseLayout",
    deepLinking: true,
    showExtensions: true,
    showCommonExtensions: true,
    presets: [ui.presets.apis, ui.SwaggerUIStandalonePreset],
  });
})();
