"""The live-code edition: the book's code cells run with Thebe on a local Jupyter server.

``make live`` builds the edition (``python -m cjbook edition --live``, which bakes
:data:`SERVER_URL` and the edition's :func:`token` into every page) and then runs
``python -m cjbook.live _build/live``: the site and a ``jupyter server`` (kernels started in the
repository, so each page's code runs from its own folder as in the build), both on 127.0.0.1,
until Ctrl-C. :func:`live_site` does the same for the browser test.
"""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from cjbook.paths import ROOT
from cjbook.serve import serve
from cjtrade.environment import BUILD_FLAG

SERVER_PORT = 8765
SERVER_URL = f"http://127.0.0.1:{SERVER_PORT}"
SITE_PORT = 8766
THEBE_LIB = Path(__file__).resolve().parent / "thebe" / "lib"  # unpacked by `make thebe`
TOKEN_FILE = "jupyter-token"


def token(build_dir: Path) -> str:
    """Return the edition's Jupyter token, kept in *build_dir* (made at random the first time)."""
    path = Path(build_dir) / TOKEN_FILE
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(24))
    return path.read_text().strip()


def _wait_until_up(process: subprocess.Popen, url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(
                f"jupyter server exited with code {process.returncode}; its log is above"
            )
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError(f"jupyter server did not answer {url} within {timeout:.0f} s")


@contextmanager
def jupyter_server(token: str, origin: str) -> Iterator[str]:
    """Run ``jupyter server`` on 127.0.0.1 for the block, open to pages from *origin*.

    Only requests with *token* are served. Kernels run in the repository with the book build's
    flag set, so charts use the offline renderer (no Vega from a CDN).
    """
    command = [
        sys.executable,
        "-m",
        "jupyter_server",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={SERVER_PORT}",
    ]
    command += [
        "--ServerApp.port_retries=0",
        "--ServerApp.open_browser=False",
        f"--ServerApp.root_dir={ROOT}",
    ]
    command += [
        f"--ServerApp.allow_origin={origin}",
        "--ServerApp.allow_root=True",
    ]  # CI runs as root
    env = {**os.environ, "JUPYTER_TOKEN": token, BUILD_FLAG: "1"}
    # Its own session: the terminal's Ctrl-C reaches only us, and we stop the server below.
    process = subprocess.Popen(command, env=env, stdin=subprocess.DEVNULL, start_new_session=True)
    try:
        _wait_until_up(process, f"{SERVER_URL}/api/status?token={token}")
        yield SERVER_URL
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextmanager
def live_site(build_dir: Path, site_port: int = 0) -> Iterator[str]:
    """Serve the live edition built in *build_dir* and its Jupyter server; yield the site's URL."""
    site = Path(build_dir) / "_build" / "html"
    with serve(site, port=site_port) as url, jupyter_server(token(build_dir), origin=url):
        yield url


def main() -> None:
    """``python -m cjbook.live BUILD_DIR``: serve the live edition until Ctrl-C (or SIGTERM)."""
    for stop in (signal.SIGINT, signal.SIGTERM):  # either way, leave through the server's cleanup
        signal.signal(stop, signal.default_int_handler)
    try:
        with live_site(Path(sys.argv[1]), SITE_PORT) as url:
            print(
                f"\nThe live-code book: {url}/index.html (Ctrl-C stops it and its server)\n",
                flush=True,
            )
            threading.Event().wait()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
