// Starts Swagger UI on /openapi. It is a file of its own, served by the app, rather than an
// inline script, so that the page's Content-Security-Policy can say script-src 'self'.
"use strict";
(function () {
  var root = document.getElementById("swagger-ui");
  window.ui = SwaggerUIBundle({
    url: root.dataset.specUrl, // the app's own document, same origin
    domNode: root,
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout", // no top bar: this page shows one document, not any URL typed in
    deepLinking: true,
    displayOperationId: true,
    displayRequestDuration: true,
    filter: true,
    defaultModelsExpandDepth: 0,
    validatorUrl: null, // never ask an outside validator about the document
    persistAuthorization: false, // an API key typed into "Authorize" is not kept in the browser
  });
})();
