/* The book's chart loader: each chart is first a static drawing (an SVG image); when it comes
 * into view, or is touched, hovered or focused, the Vega bundle (served beside this file, about
 * 1 MB) is loaded once and the chart is redrawn as the interactive Vega view (tooltips, legend
 * selection) from the spec stored next to it. Charts are registered by the scan below, and a chart
 * added later (a cell run in the live edition) by the script that follows it or, if the output's
 * scripts are not run, by the watch on the page.
 */
(function () {
  "use strict";
  var bundle = document.currentScript.src.replace(/cjtrade-charts\.js(\?.*)?$/, "vega-bundle.js");
  var loading = null;
  var TRIGGERS = ["pointerenter", "touchstart", "focusin"];

  function loadVega() {
    if (!loading) {
      loading = new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        script.src = bundle;
        script.onload = resolve;
        script.onerror = function () { reject(new Error("cannot load " + bundle)); };
        document.head.appendChild(script);
      });
    }
    return loading;
  }

  function makeInteractive(chart) {
    if (chart.dataset.interactive) return;
    chart.dataset.interactive = "loading";
    var spec = JSON.parse(document.getElementById(chart.id + "-spec").textContent);
    loadVega()
      .then(function () {
        return vegaEmbed(chart, spec, { renderer: "svg", actions: false });
      })
      .then(function () { chart.dataset.interactive = "yes"; })
      .catch(console.error);
  }

  function scrollableWithKeys(chart) {
    if (chart.scrollWidth > chart.clientWidth) chart.tabIndex = 0;
  }

  // The observer reports each chart once when watched (with the page laid out, so reading its
  // width forces no extra layout) and again whenever it comes into view.
  var observer = "IntersectionObserver" in window
    ? new IntersectionObserver(function (entries) {
        entries.forEach(function (entry) {
          scrollableWithKeys(entry.target);
          if (entry.isIntersecting) {
            observer.unobserve(entry.target);
            makeInteractive(entry.target);
          }
        });
      })
    : null;

  function register(id) {
    var chart = document.getElementById(id);
    if (!chart || chart.dataset.registered) return;
    chart.dataset.registered = "yes";
    TRIGGERS.forEach(function (name) {
      chart.addEventListener(name, function () { makeInteractive(chart); }, { once: true, passive: true });
    });
    // Watched from the page's load on: a phone lays the page out at its final width only then.
    function watch() {
      if (observer) return observer.observe(chart);
      scrollableWithKeys(chart);
      makeInteractive(chart);
    }
    if (document.readyState === "complete") watch();
    else window.addEventListener("load", watch);
  }

  function registerAll() {
    document.querySelectorAll(".cjtrade-chart[id]").forEach(function (chart) { register(chart.id); });
  }

  window.cjtradeChart = register;
  registerAll();
  new MutationObserver(registerAll).observe(document.body, { childList: true, subtree: true });
})();
