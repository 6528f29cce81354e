// Draws TeX as MathJax's SVG output, for the book's build (cjbook/sphinxext/maths.py).
//
// Usage: node tex2svg.cjs MATHJAX_ES5_FOLDER
// Reads one JSON request per line on stdin, {"tex": "...", "display": true} or {"stylesheet": true},
// and writes one JSON answer per line on stdout: {"html": "<mjx-container ...>"} (the SVG with
// MathML for screen readers, as MathJax draws it in a browser), {"css": "..."} (the stylesheet the
// SVG needs) or {"error": "..."} (MathJax could not read the TeX: an undefined macro, a missing
// brace). Errors are never drawn in red into the page as a browser would: the build stops.
"use strict";
const readline = require("readline");

const es5 = process.argv[2];
require(`${es5}/node-main.js`)
  .init({
    loader: {
      paths: { mathjax: es5 },
      load: ["adaptors/liteDOM", "input/tex", "output/svg", "a11y/assistive-mml"],
    },
    tex: {
      packages: { "[-]": ["noundefined"] }, // an undefined macro is an error, not red text
      formatError(jax, error) {
        throw error;
      },
    },
    svg: { fontCache: "none" }, // glyphs drawn in place: no ids, the same TeX gives the same SVG
    startup: { typeset: false },
  })
  .then((MathJax) => {
    const adaptor = MathJax.startup.adaptor;
    // The promise form, since a macro may need an extension loaded first (\color, \cancel).
    const answer = async (request) => {
      if (request.stylesheet) return { css: adaptor.textContent(MathJax.svgStylesheet()) };
      const container = await MathJax.tex2svgPromise(request.tex, { display: request.display });
      return { html: adaptor.outerHTML(container) };
    };
    let previous = Promise.resolve(); // answers leave in the order the requests came
    readline.createInterface({ input: process.stdin }).on("line", (line) => {
      previous = previous.then(async () => {
        let reply;
        try {
          reply = await answer(JSON.parse(line));
        } catch (error) {
          reply = { error: String(error.message || error) };
        }
        process.stdout.write(`${JSON.stringify(reply)}\n`);
      });
    });
  })
  .catch((error) => {
    process.stderr.write(`MathJax did not start: ${error.message || error}\n`);
    process.exit(1);
  });
