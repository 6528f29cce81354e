"""The built site as readers meet it: its pages in reading order, served from 127.0.0.1.

Shared by the browser tests, the Lighthouse audit and ``make live``, so all visit the same pages
the same way, and the way a static host delivers them: the build writes a gzip copy beside every
text file (:func:`precompress`), and :func:`serve` sends that copy to a browser that accepts gzip
(``Content-Encoding: gzip``), as nginx's ``gzip_static`` or a CDN does. Files under ``_static/``
asked for with a version in their address (``?v=`` or ``?digest=``, which Sphinx and the theme add)
are cached for a year; everything else is revalidated.
"""

from __future__ import annotations

import functools
import gzip
import os
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import yaml

from cjbook.paths import ROOT

COMPRESSIBLE = (".html", ".js", ".css", ".svg", ".json", ".txt", ".xml", ".ipynb", ".md", ".ttf")
MIN_COMPRESSED_SIZE = 1024  # below this, gzip's header costs more than it saves
LONG_CACHE = "public, max-age=31536000"
REVALIDATE = "no-cache"
VERSIONED = re.compile(r"\?(?:v|digest)=")


def toc_pages(toc: Path = ROOT / "_toc.yml") -> list[str]:
    """Return every document named in the table of contents, root first, in reading order."""
    spec = yaml.safe_load(toc.read_text(encoding="utf-8"))
    pages = [spec["root"]]
    for part in spec.get("parts", []):
        pages += [chapter["file"] for chapter in part["chapters"]]
    return pages


def precompress(directory: Path) -> int:
    """Write ``name.gz`` beside every text file of *directory* that is worth it; return how many.

    A copy that already holds its file is kept, whatever the two files' times (Sphinx gives the
    static files it copies their source's time): a rebuild that changed nothing writes nothing.
    The gzip header carries no time stamp, so two builds of the same site write identical copies.
    """
    written = 0
    for path in sorted(Path(directory).rglob("*")):
        if path.suffix not in COMPRESSIBLE or not path.is_file():
            continue
        copy = path.with_name(path.name + ".gz")
        if path.stat().st_size < MIN_COMPRESSED_SIZE:
            copy.unlink(missing_ok=True)
            continue
        content = path.read_bytes()
        if not _holds(copy, content):
            copy.write_bytes(gzip.compress(content, compresslevel=9, mtime=0))
            written += 1
    return written


def _holds(copy: Path, content: bytes) -> bool:
    """True if the gzip file *copy* exists and decompresses to *content*."""
    try:
        return gzip.decompress(copy.read_bytes()) == content
    except (OSError, EOFError):  # missing, or not (whole) gzip
        return False


class _SiteHandler(SimpleHTTPRequestHandler):
    """Serve files, their gzip copy when the browser accepts it, with cache headers."""

    protocol_version = "HTTP/1.1"  # keep-alive, as every real host offers
    use_gzip = True

    def log_message(self, *args) -> None:
        pass

    def _gzip_copy(self) -> Path | None:
        if not self.use_gzip or "gzip" not in self.headers.get("Accept-Encoding", ""):
            return None
        path = Path(self.translate_path(self.path))
        copy = path.with_name(path.name + ".gz")
        return copy if path.is_file() and copy.is_file() else None

    def send_head(self):
        """Like the standard handler's, but send the gzip copy of a file when there is one."""
        copy = self._gzip_copy()
        if copy is None:
            return super().send_head()
        handle = copy.open("rb")
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", self.guess_type(self.translate_path(self.path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(os.fstat(handle.fileno()).st_size))
        self.end_headers()
        return handle

    def end_headers(self) -> None:
        versioned = "/_static/" in self.path and VERSIONED.search(self.path)
        self.send_header("Cache-Control", LONG_CACHE if versioned else REVALIDATE)
        self.send_header("Vary", "Accept-Encoding")
        super().end_headers()


@contextmanager
def serve(directory: Path, port: int = 0, use_gzip: bool = True) -> Iterator[str]:
    """Serve *directory* on 127.0.0.1 at *port* (0: any free one) for the block; yield its URL.

    With *use_gzip* (the default), a file's gzip copy is sent to browsers that accept it.
    """
    handler_class = type("SiteHandler", (_SiteHandler,), {"use_gzip": use_gzip})
    handler = functools.partial(handler_class, directory=str(directory))
    server = ThreadingHTTPServer(("127.0.0.1", port), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
