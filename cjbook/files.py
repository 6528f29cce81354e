"""Files the build writes, written only when their content changes.

Sphinx decides which pages to write again by modification times: a template newer than a page
makes the page outdated. A build that rewrote its own template (or any other generated input) with
the same text made every page outdated on every build (issue 25). Writing a file only when its
bytes differ keeps a rebuild with nothing changed from writing anything.
"""

from __future__ import annotations

import hashlib
from pathlib import Path


def write_if_changed(path: Path, content: str | bytes) -> bool:
    """Write *content* (text as UTF-8) to *path* unless the file already holds exactly that.

    Returns whether the file was written; its parent folder is made if missing.
    """
    data = content.encode("utf-8") if isinstance(content, str) else content
    if path.is_file() and path.read_bytes() == data:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return True


def digest(*parts: str | bytes) -> str:
    """One SHA-256 over *parts*, each length-prefixed so that no two lists of parts collide."""
    hashed = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        hashed.update(len(data).to_bytes(8, "big"))
        hashed.update(data)
    return hashed.hexdigest()
