// Starts Swagger UI on the docs page. Its options come from the API (`data-config-url`);
// only what JSON cannot carry (the presets, the layout) is set here.
"use strict";

(function () {
  var root = document.getElementById("swagger-ui");
  window.ui = SwaggerUIBundle({
    configUrl: root.dataset.configUrl,
    domNode: root,
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
  });
})();
