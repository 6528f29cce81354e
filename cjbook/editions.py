"""The book's editions: variants of ``_config.yml`` for one kind of build.

- *verify* (``force``): execute every notebook from scratch (``make verify`` trusts no cache);
- *student*: leave every exercise solution out of the book (``make book-student``);
- *live*: a "Live Code" button runs the code cells with Thebe on the local Jupyter server that
  ``make live`` starts (:mod:`cjbook.live`); its token is kept beside the written configuration.

The student and live editions change what a page shows, not what it runs, so they share the
execution cache of the HTML book (:data:`SHARED_CACHE`): built after ``make book``, they execute
nothing (the data-aware freshness job keeps that cache current whichever build uses it first).

``python -m cjbook edition OUT.yml [--force] [--student] [--live]`` writes one.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from cjbook import live
from cjbook.paths import ROOT

SHARED_CACHE = ROOT / "_build" / ".jupyter_cache"  # where `make book` keeps its execution cache


def derived_config(
    force: bool = False,
    student: bool = False,
    live_token: str = "",
    source: Path = ROOT / "_config.yml",
) -> dict:
    """Return the book configuration with forced execution, solutions removed and/or live code."""
    config = yaml.safe_load(source.read_text(encoding="utf-8"))
    if force:
        config["execute"]["execute_notebooks"] = "force"
    elif student or live_token:
        config["execute"]["cache"] = str(SHARED_CACHE)
    if student:
        config["sphinx"]["config"]["cjbook_hide_solutions"] = True
        config["title"] += " (student edition)"
    if live_token:
        server = {"url": live.SERVER_URL, "token": live_token}
        config["sphinx"]["config"]["cjbook_live_server"] = server
    return config


def write(
    out: Path, force: bool = False, student: bool = False, with_live_code: bool = False
) -> None:
    """Write the edition's configuration to *out* (a live edition's token is kept beside it)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    token = live.token(out.parent) if with_live_code else ""
    config = derived_config(force=force, student=student, live_token=token)
    out.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
