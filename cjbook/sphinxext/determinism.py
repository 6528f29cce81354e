"""Bit-identical estimates: kernels started by the build run numba's parallel loops on one thread.

pyfixest demeans fixed effects with numba in parallel threads, so its sums are added in an order
that varies from run to run and its estimates differ from one clean build to the next in the
eighth significant digit. One thread makes two clean builds agree exactly (``make verify``).
"""

from __future__ import annotations

import os

from sphinx.application import Sphinx

THREADS_VARIABLE = "NUMBA_NUM_THREADS"


def single_threaded_kernels(app: Sphinx, config) -> None:
    """Start this build's kernels with one numba thread (an explicit setting is respected)."""
    os.environ.setdefault(THREADS_VARIABLE, "1")


def setup(app: Sphinx) -> dict:
    app.connect("config-inited", single_threaded_kernels)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
