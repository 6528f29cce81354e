"""A build log a person can read: what the build does and what went wrong, not libraries' chatter.

Left out unless the build is verbose (``jupyter-book build -v``, Sphinx's ``-v``), all of it
expected on every build and none of it a problem:

- fontTools' INFO lines as it subsets the icon fonts (52 a build);
- Sphinx's note that copying a static file over another "will overwrite data", for the stylesheets
  under ``_static``, which this build prunes (:mod:`~cjbook.sphinxext.unused_css`): Sphinx copies
  the shipped stylesheet back on every build, and the pruning follows;
- ipykernel's warning, once for every page executed, that a kernel "is running over TCP without
  encryption": the build's kernels listen on 127.0.0.1 only. Kernels the build starts read their
  settings from an IPython folder of the build's own, which lowers their log level to errors.

Sphinx's warnings, and anything a cell prints to stderr, still fail the build.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from sphinx.application import Sphinx

from cjbook.files import write_if_changed

IPYTHON_DIR = ".cjtrade-ipython"  # beside the output
KERNEL_CONFIG = 'c.IPKernelApp.log_level = "ERROR"  # written by cjbook.sphinxext.quiet_log\n'


class StylesheetCopies(logging.Filter):
    """Drops Sphinx's "will overwrite data" note for a stylesheet copied into *static*."""

    def __init__(self, static: Path) -> None:
        super().__init__()
        self.static = str(static)

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "subtype", None) != "copy_overwrite" or len(record.args or ()) < 2:
            return True
        destination = os.fsdecode(record.args[1])
        return not (destination.startswith(self.static) and destination.endswith(".css"))


def quiet_libraries(app: Sphinx, config) -> None:
    """Silence the libraries' chatter listed above, unless the build is verbose."""
    if app.verbosity > 0:
        return
    logging.getLogger("fontTools").setLevel(logging.WARNING)
    copies = StylesheetCopies(Path(app.outdir) / "_static")
    for module in ("sphinx.util.osutil", "sphinx.util.fileutil"):  # Sphinx's loggers' names
        logging.getLogger(f"sphinx.{module}").addFilter(copies)
    ipython = Path(app.outdir).parent / IPYTHON_DIR
    write_if_changed(ipython / "profile_default" / "ipython_kernel_config.py", KERNEL_CONFIG)
    os.environ.setdefault("IPYTHONDIR", str(ipython))


def setup(app: Sphinx) -> dict:
    app.connect("config-inited", quiet_libraries)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
