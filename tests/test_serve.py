"""The serving helper delivers the site as a static host does: gzip copies, cache headers."""

import gzip
import os
import urllib.request

from cjbook.serve import precompress, serve

PAGE = "<html><body>" + "cultural trade " * 200 + "</body></html>"


def _site(tmp_path):
    (tmp_path / "_static").mkdir()
    (tmp_path / "page.html").write_text(PAGE, encoding="utf-8")
    (tmp_path / "_static" / "tiny.css").write_text("p{}", encoding="utf-8")
    return tmp_path


def _get(url: str, accept_gzip: bool):
    headers = {"Accept-Encoding": "gzip"} if accept_gzip else {}
    with urllib.request.urlopen(urllib.request.Request(url, headers=headers)) as response:
        return dict(response.headers), response.read()


def test_precompress_writes_a_reproducible_copy_of_text_files_worth_it(tmp_path):
    site = _site(tmp_path)
    assert precompress(site) == 1
    copy = site / "page.html.gz"
    assert gzip.decompress(copy.read_bytes()).decode("utf-8") == PAGE
    assert not (site / "_static" / "tiny.css.gz").exists()  # too small to gain
    first = copy.read_bytes()
    copy.unlink()
    precompress(site)
    assert copy.read_bytes() == first


def test_precompress_rewrites_a_copy_only_when_its_file_changed(tmp_path):
    site = _site(tmp_path)
    precompress(site)
    page, copy = site / "page.html", site / "page.html.gz"
    os.utime(copy, (0, 0))  # older than its file, as after Sphinx copies a static file
    assert precompress(site) == 0
    changed = PAGE.replace("cultural", "creative")
    page.write_text(changed, encoding="utf-8")
    os.utime(page, (0, 0))  # a changed file with an old time (Sphinx copies source times)
    assert precompress(site) == 1
    assert gzip.decompress(copy.read_bytes()).decode("utf-8") == changed


def test_gzip_copy_is_sent_to_browsers_that_accept_it(tmp_path):
    site = _site(tmp_path)
    precompress(site)
    with serve(site) as base:
        headers, body = _get(f"{base}/page.html", accept_gzip=True)
        assert headers["Content-Encoding"] == "gzip"
        assert headers["Content-Type"].startswith("text/html")
        assert gzip.decompress(body).decode("utf-8") == PAGE
        headers, body = _get(f"{base}/page.html", accept_gzip=False)
        assert "Content-Encoding" not in headers and body.decode("utf-8") == PAGE


def test_without_gzip_the_plain_file_is_sent(tmp_path):
    site = _site(tmp_path)
    precompress(site)
    with serve(site, use_gzip=False) as base:
        headers, body = _get(f"{base}/page.html", accept_gzip=True)
    assert "Content-Encoding" not in headers and body.decode("utf-8") == PAGE


def test_versioned_static_files_are_cached_long_the_rest_revalidated(tmp_path):
    site = _site(tmp_path)
    with serve(site) as base:
        versioned, _ = _get(f"{base}/_static/tiny.css?v=1a2b3c4d", accept_gzip=True)
        unversioned, _ = _get(f"{base}/_static/tiny.css", accept_gzip=True)
        page, _ = _get(f"{base}/page.html", accept_gzip=True)
    assert "max-age=31536000" in versioned["Cache-Control"]
    assert unversioned["Cache-Control"] == page["Cache-Control"] == "no-cache"
