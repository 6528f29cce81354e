/* The book's chart loader: each chart is first a static drawing (an SVG image); when it comes
 * into view, or is touched, hovered or focused, the Vega bundle (served beside this file, about
 * 1 MB) is loaded once and the chart is redrawn as the interactive Vega view (tooltips, legend
 * selection) from the spec stored next to it. Charts are registered by the scan below, and a chart
 * added later (a cell run in the live edition) by the script that follows it or, if the output's
 * scripts are not run, by the watch on the page.
 *
 * The interactive view fits the width the drawing fits: where the chart's box is narrower than
 * the drawing (a phone), side-by-side panels are stacked, titles wrap, and the plot is narrowed
 * until the whole view fits (see `fitted`). Where the drawing fits, the view keeps its size.
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

  var CHAR_WIDTH = 0.62; // of the font size: a generous average for Latin text
  var LEGEND_INSET = 120; // a legend starts below the plot, after the y axis, and has symbols

  // The title's text broken into lines of at most `width` pixels (Vega draws an array as lines).
  function wrapped(title, width, fontSize) {
    var text = typeof title === "string" ? title : title.text;
    if (typeof text !== "string") return title;
    var limit = Math.max(10, Math.floor(width / (fontSize * CHAR_WIDTH)));
    var lines = [""];
    text.split(" ").forEach(function (word) {
      var line = lines[lines.length - 1];
      if (line && (line + " " + word).length > limit) lines.push(word);
      else lines[lines.length - 1] = line ? line + " " + word : word;
    });
    return typeof title === "string" ? lines : Object.assign({}, title, { text: lines });
  }

  // Panels side by side become panels one above the other.
  function stacked(node) {
    if (node.facet && node.facet.column && !node.facet.row) {
      node.facet.row = node.facet.column;
      delete node.facet.column;
    }
    if (node.hconcat) {
      node.vconcat = node.hconcat;
      delete node.hconcat;
    }
    if (node.concat) node.columns = 1;
    ["vconcat", "concat"].forEach(function (key) { (node[key] || []).forEach(stacked); });
    return node;
  }

  // Give every view of the spec the plot width `width` (a faceted chart's panels, each
  // concatenated chart, or the chart itself).
  function setWidth(node, width) {
    if (node.facet && node.spec) return setWidth(node.spec, width);
    var parts = node.vconcat || node.hconcat || node.concat;
    if (parts) return parts.forEach(function (part) { setWidth(part, width); });
    node.width = width;
  }

  // Wrap the titles of every view (a layered chart's title may sit on its layers) to the box,
  // `available` pixels wide, and the x axis titles to the plot's `width`; keep legends in one
  // column within the box, and axis labels within a third of it (a legend below the plot starts
  // after them: LEGEND_INSET).
  function narrowed(node, width, available, titleSize) {
    if (node.title) node.title = wrapped(node.title, available, titleSize);
    Object.keys(node.encoding || {}).forEach(function (channel) {
      var definition = node.encoding[channel];
      if (!definition || typeof definition !== "object") return;
      if (channel === "x" && typeof definition.title === "string") {
        definition.title = wrapped(definition.title, Math.max(width, 120), 13);
      }
      var legend = definition.legend, axis = definition.axis;
      if (legend) {
        legend.labelLimit = Math.min(legend.labelLimit || 320, available - LEGEND_INSET);
        if (legend.columns) legend.columns = 1;
      }
      if (axis && axis.labelLimit) axis.labelLimit = Math.min(axis.labelLimit, available / 3);
    });
    ["layer", "vconcat", "hconcat", "concat"].forEach(function (key) {
      (node[key] || []).forEach(function (part) { narrowed(part, width, available, titleSize); });
    });
    if (node.spec) narrowed(node.spec, width, available, titleSize);
    return node;
  }

  // The spec for a chart whose box is `available` pixels wide: stacked, with titles wrapped and
  // legends no wider than the box, and a plot `width` wide.
  function fitted(source, available, width) {
    var spec = stacked(JSON.parse(JSON.stringify(source)));
    var config = (spec.config = spec.config || {});
    var titleSize = (config.title && config.title.fontSize) || 13;
    narrowed(spec, width, available, titleSize);
    config.legend = Object.assign({}, config.legend, {
      labelLimit: Math.min((config.legend && config.legend.labelLimit) || 320, available - LEGEND_INSET),
    });
    setWidth(spec, width);
    return spec;
  }

  function scaledToFit(svg) {
    svg.style.width = "100%";
    svg.style.height = "auto";
  }

  function drawnWidth(chart) {
    var drawing = chart.querySelector("img, svg");
    return drawing ? drawing.getBoundingClientRect().width : 0;
  }

  // Embed the view; where its drawing does not fit the box, narrow the plot by what overflows
  // (twice at most: a wrapped title or a legend may change the rest of the view's width), and
  // scale down what still overflows (long axis labels or headers): the view reads the pointer
  // from the element under it, so tooltips and legend clicks work at any scale.
  function embedFitted(chart, spec) {
    var available = chart.clientWidth;
    var image = chart.querySelector("img");
    var natural = image ? Number(image.getAttribute("width")) : 0;
    var options = { renderer: "svg", actions: false };
    if (!available || natural <= available) return vegaEmbed(chart, spec, options);
    function attempt(width, tries) {
      return vegaEmbed(chart, fitted(spec, available, width), options).then(function (result) {
        var overflow = drawnWidth(chart) - available;
        if (overflow > 0 && tries === 0) scaledToFit(chart.querySelector("svg"));
        if (overflow <= 0 || tries === 0) return result;
        result.finalize();
        return attempt(Math.max(60, width - overflow - 2), tries - 1);
      });
    }
    return attempt(Math.max(60, available - 80), 2);
  }

  function makeInteractive(chart) {
    if (chart.dataset.interactive) return;
    chart.dataset.interactive = "loading";
    var spec = JSON.parse(document.getElementById(chart.id + "-spec").textContent);
    loadVega()
      .then(function () { return embedFitted(chart, spec); })
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
