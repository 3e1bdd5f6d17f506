// Renders every chart's Vega-Lite spec (the JSON in its container's data-spec) with the
// vendored vega-embed, using Vega's expression interpreter: no eval, so the page's
// Content-Security-Policy can stay 'self'. The data table stays as the fallback.
(function () {
  "use strict";

  function render(root) {
    if (typeof vegaEmbed === "undefined") return;
    root.querySelectorAll(".vega[data-chart]").forEach(function (el) {
      if (el.dataset.rendered) return;
      var key = el.dataset.chart;
      if (!el.dataset.spec) return;
      el.dataset.rendered = "1";
      var spec = JSON.parse(el.dataset.spec);
      vegaEmbed(el, spec, {
        actions: false,
        renderer: "svg",
        ast: true,
        expr: vega.expressionInterpreter,
        defaultStyle: false,
        tooltip: false,
      }).then(function () {
        var table = document.querySelector('details[data-fallback="' + key + '"]');
        if (table && !table.hasAttribute("data-keep-open")) table.removeAttribute("open");
      }).catch(function (err) {
        el.dataset.rendered = "error";
        el.textContent = "The chart could not be drawn; its data table is below.";
        if (window.console) console.warn(err);
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () { render(document); });
  // htmx:load fires on content htmx has just put in the page (a swapped element that was
  // replaced is detached, so its own events would not reach the document).
  document.addEventListener("htmx:load", function () { render(document); });
})();
