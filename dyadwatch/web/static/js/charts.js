// Renders every chart's Vega-Lite spec (a JSON data block beside its container) with the
// vendored vega-embed, using Vega's expression interpreter: no eval, so the page's
// Content-Security-Policy can stay 'self'. The data table stays as the fallback.
(function () {
  "use strict";

  function render(root) {
    if (typeof vegaEmbed === "undefined") return;
    root.querySelectorAll(".vega[data-chart]").forEach(function (el) {
      if (el.dataset.rendered) return;
      var key = el.dataset.chart;
      var data = document.getElementById("spec-" + key);
      if (!data) return;
      el.dataset.rendered = "1";
      var spec = JSON.parse(data.textContent);
      vegaEmbed(el, spec, {
        actions: false,
        renderer: "svg",
        ast: true,
        expr: vega.expressionInterpreter,
        defaultStyle: false,
        tooltip: false,
      }).then(function () {
        var table = root.querySelector('details[data-fallback="' + key + '"]');
        if (table && !table.hasAttribute("data-keep-open")) table.removeAttribute("open");
      }).catch(function (err) {
        el.dataset.rendered = "error";
        el.textContent = "The chart could not be drawn; its data table is below.";
        if (window.console) console.warn(err);
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () { render(document); });
  document.addEventListener("htmx:afterSwap", function (evt) { render(evt.target.parentNode || document); });
})();
