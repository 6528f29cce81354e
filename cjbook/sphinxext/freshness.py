"""Data-aware re-execution: pages are re-run when what their code reads changes.

The execution cache keys on code cells only, so editing a CSV file or the analysis package would
leave stale outputs. A digest of :data:`INPUTS` (the data package, the analysis package ``cjtrade``
and the pinned environment) is kept twice: beside the execution cache (when it changes, the cache
is dropped; editions that share the cache share this digest) and beside the build (when it
changes, every page of that build is re-read). The build's digest is recorded only when the build
succeeds: a build that stopped early (a broken bibliography, a failing cell) leaves it, so the
next build still re-reads every page instead of keeping pages made from the old inputs. The
build package, the tests and the reference numbers are not inputs of any executed page and are
left out, so editing them re-executes nothing. A changed table of contents re-reads every page
(their chapter, exercise and figure numbers depend on it) without re-executing any.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

from sphinx.application import Sphinx

from cjbook.paths import ROOT

INPUTS = (ROOT / "data", ROOT / "cjtrade", ROOT / "requirements.txt")
STRUCTURE = (ROOT / "_toc.yml",)
DIGEST_FILE = "cjtrade-inputs.sha256"
STRUCTURE_DIGEST_FILE = "cjtrade-structure.sha256"


def _files(inputs: tuple[Path, ...]) -> list[Path]:
    found = []
    for item in inputs:
        candidates = item.rglob("*") if item.is_dir() else [item]
        found += [p for p in candidates if p.is_file() and "__pycache__" not in p.parts]
    return sorted(found)


def inputs_digest(inputs: tuple[Path, ...] = INPUTS, root: Path | None = None) -> str:
    """Return one SHA-256 over every file (or file in a folder) of *inputs*, with its path
    relative to *root* (the repository unless given)."""
    digest = hashlib.sha256()
    for path in _files(inputs):
        digest.update(os.path.relpath(path, ROOT if root is None else root).encode("utf-8"))
        digest.update(path.read_bytes())
    return digest.hexdigest()


def execution_cache(app: Sphinx) -> Path:
    """The folder of myst-nb's execution cache for this build."""
    configured = getattr(app.config, "nb_execution_cache_path", "")
    return Path(configured) if configured else Path(app.outdir).parent / ".jupyter_cache"


def changed_digest(stamp: Path, inputs: tuple[Path, ...]) -> str | None:
    """The digest of *inputs* if it differs from what *stamp* recorded, else None."""
    current = inputs_digest(inputs)
    return None if stamp.exists() and stamp.read_text() == current else current


def drop_stale_cache(app: Sphinx) -> None:
    """Drop the execution cache when the inputs changed since it was filled; note what this
    build must re-read (inputs or table of contents changed since its last successful build)."""
    cache = execution_cache(app)
    cache_stamp = cache.with_name(f"{cache.name}.{DIGEST_FILE}")
    if (current := changed_digest(cache_stamp, INPUTS)) is not None:
        shutil.rmtree(cache, ignore_errors=True)
        cache_stamp.write_text(current)  # the cache is empty: what fills it is of these inputs
    build = Path(app.outdir).parent
    app.cjtrade_new_digests = {
        stamp: digest
        for stamp, inputs in (
            (build / DIGEST_FILE, INPUTS),
            (build / STRUCTURE_DIGEST_FILE, STRUCTURE),
        )
        if (digest := changed_digest(stamp, inputs)) is not None
    }
    app.cjtrade_inputs_changed = build / DIGEST_FILE in app.cjtrade_new_digests
    app.cjtrade_structure_changed = build / STRUCTURE_DIGEST_FILE in app.cjtrade_new_digests


def record_digests(app: Sphinx, exception: Exception | None) -> None:
    """After a build without error or warning, record the digests of what it was built from."""
    if exception is None and not getattr(app, "_warncount", 0):
        for stamp, digest in getattr(app, "cjtrade_new_digests", {}).items():
            stamp.write_text(digest)


def outdated_when_inputs_changed(app: Sphinx, env, added, changed, removed) -> list[str]:
    """Re-read every page when the inputs or the table of contents changed."""
    if getattr(app, "cjtrade_inputs_changed", False) or getattr(
        app, "cjtrade_structure_changed", False
    ):
        return sorted(env.found_docs - set(added) - set(changed))
    return []


def setup(app: Sphinx) -> dict:
    app.connect("builder-inited", drop_stale_cache)
    app.connect("env-get-outdated", outdated_when_inputs_changed)
    app.connect("build-finished", record_digests)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
