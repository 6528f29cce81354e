"""The built site as readers meet it: its pages in reading order, served from 127.0.0.1.

Shared by the browser tests and the Lighthouse audit, so both visit the same pages the same way.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import yaml

from cjbook.paths import ROOT


def toc_pages(toc: Path = ROOT / "_toc.yml") -> list[str]:
    """Return every document named in the table of contents, root first, in reading order."""
    spec = yaml.safe_load(toc.read_text(encoding="utf-8"))
    pages = [spec["root"]]
    for part in spec.get("parts", []):
        pages += [chapter["file"] for chapter in part["chapters"]]
    return pages


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


@contextmanager
def serve(directory: Path, port: int = 0) -> Iterator[str]:
    """Serve *directory* on 127.0.0.1 at *port* (0: any free one) for the block; yield its URL."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = ThreadingHTTPServer(("127.0.0.1", port), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
