// Starts the vendored Swagger UI on /openapi.json (a static file, so the CSP needs no inline script).
window.addEventListener("DOMContentLoaded", function () {
  "use strict";
  var el = document.getElementById("swagger-ui");
  window.ui = SwaggerUIBundle({ url: el.dataset.openapi, dom_id: "#swagger-ui", deepLinking: true });
});
