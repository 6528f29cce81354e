/* Live code on the local Jupyter server (the book's live edition, see cjtrade/live.py).
 *
 * sphinx-thebe loads Thebe when the reader clicks "Live Code" and calls `thebelab.bootstrap()`
 * without options, which Thebe 0.9 reads as "use mybinder.org, and start no kernel". Wrap bootstrap
 * as Thebe defines it, so that it starts a kernel on the server named in the page's x-thebe-config.
 */
(() => {
  let thebelab;
  Object.defineProperty(window, "thebelab", {
    configurable: true,
    get: () => thebelab,
    set: (value) => {
      const bootstrap = value.bootstrap;
      value.bootstrap = (options = {}) => bootstrap({ ...options, useBinder: false, requestKernel: true });
      thebelab = value;
    },
  });
})();
