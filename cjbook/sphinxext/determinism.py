"""Bit-identical numbers from one clean build to the next: kernels start with fixed settings.

Two things made estimates differ in the eighth significant digit between clean builds: Python's
per-process string hashing (the order in which set- and dict-based code, in the general-equilibrium
steps and the libraries under them, adds things up) and numba's parallel threads in pyfixest's
fixed-effect demeaning (the order of its sums). Kernels started by the build get a fixed hash seed
and one numba thread, so ``make verify`` can ask for the same numbers, not merely close ones. A
setting already in the environment is respected.
"""

from __future__ import annotations

import os

from sphinx.application import Sphinx

KERNEL_ENVIRONMENT = {"PYTHONHASHSEED": "0", "NUMBA_NUM_THREADS": "1"}


def fixed_kernel_environment(app: Sphinx, config) -> None:
    """Give the kernels this build starts a fixed hash seed and one numba thread."""
    for name, value in KERNEL_ENVIRONMENT.items():
        os.environ.setdefault(name, value)


def setup(app: Sphinx) -> dict:
    app.connect("config-inited", fixed_kernel_environment)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
