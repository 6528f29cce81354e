/* The book's maths loader: MathJax (served beside this file, about 250 kB compressed) is loaded
 * once the first piece of maths comes on screen, after the page's first paint, instead of
 * before it on every page that might hold maths. MathJax then typesets the whole page, with the
 * configuration the page sets (`window.MathJax`), exactly as when it was loaded with the page.
 */
(function () {
  "use strict";
  var mathjax = document.currentScript.src.replace(/cjtrade-maths\.js(\?.*)?$/, "mathjax/tex-chtml.js");
  var maths = document.querySelectorAll(".math");
  if (!maths.length) return;

  function loadMathJax() {
    if (document.getElementById("MathJax-script")) return;
    var script = document.createElement("script");
    script.id = "MathJax-script";
    script.src = mathjax;
    document.head.appendChild(script);
  }

  if (!("IntersectionObserver" in window)) return loadMathJax();
  var observer = new IntersectionObserver(function (entries) {
    if (entries.some(function (entry) { return entry.isIntersecting; })) {
      observer.disconnect();
      loadMathJax();
    }
  });
  // Watched from the page's load on: a phone lays the page out at its final width only then (the
  // first layout may use a wider default viewport, where maths far down seems on screen).
  function watch() { maths.forEach(function (element) { observer.observe(element); }); }
  if (document.readyState === "complete") watch();
  else window.addEventListener("load", watch);
})();
