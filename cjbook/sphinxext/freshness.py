"""Data-aware re-execution: pages are re-run when what their code reads changes.

The execution cache keys on code cells only, so editing a CSV file or the analysis package would
leave stale outputs. A digest of :data:`INPUTS` (the data package, the analysis package ``cjtrade``
and the pinned environment) is kept beside the build; when it changes, the execution cache is
dropped and every page is re-read. The build package, the tests and the reference numbers are
not inputs of any executed page and are left out, so editing them re-executes nothing. A changed
table of contents re-reads every page (their chapter, exercise and figure numbers depend on it)
without re-executing any.
"""

from __future__ import annotations

import hashlib
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


def inputs_digest(inputs: tuple[Path, ...] = INPUTS) -> str:
    """Return one SHA-256 over every file (or file in a folder) of *inputs*, with its path."""
    digest = hashlib.sha256()
    for path in _files(inputs):
        digest.update(str(path.relative_to(ROOT)).encode("utf-8"))
        digest.update(path.read_bytes())
    return digest.hexdigest()


def execution_cache(app: Sphinx) -> Path:
    """The folder of myst-nb's execution cache for this build."""
    configured = getattr(app.config, "nb_execution_cache_path", "")
    return Path(configured) if configured else Path(app.outdir).parent / ".jupyter_cache"


def changed_since_last_build(app: Sphinx, inputs: tuple[Path, ...], stamp_name: str) -> bool:
    """True (and the stamp updated) if *inputs* differ from what the last build recorded."""
    stamp = Path(app.outdir).parent / stamp_name
    current = inputs_digest(inputs)
    changed = not stamp.exists() or stamp.read_text() != current
    if changed:
        stamp.write_text(current)
    return changed


def drop_stale_cache(app: Sphinx) -> None:
    """Drop the execution cache when the inputs changed since the last build."""
    app.cjtrade_inputs_changed = changed_since_last_build(app, INPUTS, DIGEST_FILE)
    if app.cjtrade_inputs_changed:
        shutil.rmtree(execution_cache(app), ignore_errors=True)
    app.cjtrade_structure_changed = changed_since_last_build(app, STRUCTURE, STRUCTURE_DIGEST_FILE)


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
    return {"parallel_read_safe": True, "parallel_write_safe": True}
