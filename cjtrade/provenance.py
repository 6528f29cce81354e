"""Provenance rules: every figure names its primary source apart from the copy that was read.

A reviewer needs two things to trust a number: who published it first (publisher, title, date,
table), and where this book actually read it, with how close that copy is to the publisher. The
data package records both, at one of two levels:

* **per resource**: each entry of a resource's ``sources`` carries a ``tier`` and a ``primary``
  citation; its ``path`` is the copy read. Used when all rows come from one publication.
* **per row**: a resource whose rows come from different publications declares
  ``primarySources`` (key -> citation) and its CSV has the columns ``url`` (the copy read),
  ``tier`` and ``primary`` (a key of ``primarySources``).

Tiers, from closest to the publisher to farthest:

``primary``
    the publisher's own page or file;
``official-republication``
    an official or industry body republishing the publisher's table verbatim (JATA's databank of
    JNTO figures, JETRO quoting China's National Bureau of Statistics, a government portal
    reprinting a ministry release);
``data-copy``
    a commit-pinned third-party copy of the publisher's data file (a research repository's
    download of the UN Comtrade or World Bank API): machine-readable, checkable against the
    publisher, but not published by an official body;
``press-report``
    a news report quoting the figure.

No copy may be anonymous: a blog, forum archive, document-sharing site, bare IP address or
personal site (``ANONYMOUS_HOSTS``). Rows that were moved to a better copy, dropped or added to
fill a gap are listed in the resource's ``provenanceChanges``, so its history stays visible.

:func:`problems` returns one message per broken rule, naming file, row and rule; it is called by
:func:`cjtrade.data.check_package`, so ``make data-check`` fails on any of them.
"""

from __future__ import annotations

import csv
import ipaddress
from pathlib import Path
from urllib.parse import urlparse

TIERS = ("primary", "official-republication", "data-copy", "press-report")
CITATION_FIELDS = ("publisher", "title", "date", "table")
ROW_COLUMNS = ("url", "tier", "primary")
CHANGE_ACTIONS = ("replaced", "dropped", "added")
CHANGE_FIELDS = ("row", "action", "reason")

# Hosts whose copies cannot be traced to a publisher, by kind (issue 12). Subdomains count too.
ANONYMOUS_HOSTS = {
    "blog.goo.ne.jp": "personal blog",
    "note.com": "personal blog platform",
    "yomi.tokyo": "forum archive",
    "vdocuments.pub": "document-sharing site",
    "vdocuments.net": "document-sharing site",
    "yumpu.com": "document-sharing site",
    "expydoc.com": "document-sharing site",
    "happylibus.com": "document-sharing site",
    "pdfslide.us": "document-sharing site",
    "fukuzusi.xsrv.jp": "personal site",
    "user.webaccel.jp": "anonymous hosting",
    "edwardsanroman.com": "personal site",
    "dilquin.com": "anonymous repost site",
    "social-care.biz": "anonymous repost site",
    "n-tec.xyz": "anonymous repost site",
}


def anonymous_kind(url: str) -> str | None:
    """Return why *url* is an anonymous copy (e.g. 'forum archive'), or None if it is not."""
    host = (urlparse(url).hostname or "").rstrip(".").lower()
    try:
        ipaddress.ip_address(host)
        return "bare IP address"
    except ValueError:
        pass
    for banned, kind in ANONYMOUS_HOSTS.items():
        if host == banned or host.endswith("." + banned):
            return kind
    return None


def _citation_problems(citation: object, where: str) -> list[str]:
    if not isinstance(citation, dict):
        return [
            f"{where}: rule 'primary-citation': no primary citation (publisher, title, date, table)"
        ]
    missing = [f for f in CITATION_FIELDS if not str(citation.get(f, "")).strip()]
    if missing:
        return [f"{where}: rule 'primary-citation': primary citation lacks {', '.join(missing)}"]
    return []


def _tier_problem(tier: object, where: str) -> list[str]:
    if tier in TIERS:
        return []
    return [f"{where}: rule 'tier': tier {tier!r} is not one of {', '.join(TIERS)}"]


def _copy_problems(url: str, where: str) -> list[str]:
    if not url.strip():
        return [f"{where}: rule 'copy-read': no copy read (url) is given"]
    kind = anonymous_kind(url)
    if kind:
        return [
            f"{where}: rule 'no-anonymous-copy': {url} is a copy on a {kind}; cite a primary or "
            f"official copy, or drop the row and list it in provenanceChanges"
        ]
    return []


def source_problems(descriptor: dict, file: str) -> list[str]:
    """Check the resource-level sources of a resource without per-row provenance."""
    found = []
    sources = descriptor.get("sources") or []
    if not sources:
        found.append(f"{file}: rule 'primary-citation': the resource names no source")
    for number, source in enumerate(sources, start=1):
        where = f"{file}: source {number} ({source.get('title', '')[:40]!r})"
        found += _tier_problem(source.get("tier"), where)
        found += _citation_problems(source.get("primary"), where)
        path = source.get("path", "")
        if path.startswith(("http://", "https://")):
            found += _copy_problems(path, where)
    return found


def row_problems(descriptor: dict, data_dir: Path) -> list[str]:
    """Check every row of a resource with per-row provenance (``primarySources``)."""
    file = str(data_dir / descriptor["path"])
    citations = descriptor["primarySources"]
    found = []
    for key, citation in citations.items():
        found += _citation_problems(citation, f"{file}: primarySources[{key!r}]")
    with open(data_dir / descriptor["path"], encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in ROW_COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            problem = (
                f"{file}: rule 'row-columns': per-row provenance needs the columns "
                f"{', '.join(ROW_COLUMNS)}; missing {', '.join(missing)}"
            )
            return [*found, problem]
        for number, row in enumerate(reader, start=2):  # row 1 is the header, as in data-check
            where = f"{file}: row {number}"
            found += _tier_problem(row["tier"], where)
            if row["primary"] not in citations:
                found.append(
                    f"{where}: rule 'primary-citation': primary {row['primary']!r} is "
                    f"not a key of primarySources"
                )
            found += _copy_problems(row["url"], where)
    return found


def change_problems(descriptor: dict, file: str) -> list[str]:
    """Check the record of replaced and dropped rows (``provenanceChanges``)."""
    found = []
    for number, change in enumerate(descriptor.get("provenanceChanges", []), start=1):
        where = f"{file}: provenanceChanges[{number}]"
        missing = [f for f in CHANGE_FIELDS if not str(change.get(f, "")).strip()]
        if missing:
            found.append(f"{where}: rule 'change-record': lacks {', '.join(missing)}")
        if change.get("action") not in CHANGE_ACTIONS:
            found.append(
                f"{where}: rule 'change-record': action {change.get('action')!r} is not "
                f"one of {', '.join(CHANGE_ACTIONS)}"
            )
        if change.get("action") in ("replaced", "added") and not change.get("now"):
            found.append(
                f"{where}: rule 'change-record': a {change['action']} row names its copy (now)"
            )
        if change.get("action") in ("replaced", "dropped") and not change.get("was"):
            found.append(
                f"{where}: rule 'change-record': a {change['action']} row names its old copy (was)"
            )
    return found


def resource_problems(descriptor: dict, data_dir: Path) -> list[str]:
    """Return every provenance problem of one resource (an unreadable file is data-check's job)."""
    file = str(Path(data_dir) / descriptor["path"])
    found = change_problems(descriptor, file)
    if "primarySources" in descriptor:
        if not (Path(data_dir) / descriptor["path"]).is_file():
            return found
        return found + row_problems(descriptor, Path(data_dir))
    return found + source_problems(descriptor, file)


def problems(package: dict, data_dir: Path) -> list[str]:
    """Return every provenance problem of the data package, each naming file, row and rule."""
    return [p for r in package["resources"] for p in resource_problems(r, Path(data_dir))]


def tier_counts(package: dict, data_dir: Path) -> dict[str, int]:
    """Count data rows by tier: per-row resources row by row, others by their first source."""
    counts = dict.fromkeys(TIERS, 0)
    for descriptor in package["resources"]:
        path = Path(data_dir) / descriptor["path"]
        with open(path, encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
        if "primarySources" in descriptor:
            for row in rows:
                counts[row["tier"]] = counts.get(row["tier"], 0) + 1
        else:
            tier = (descriptor.get("sources") or [{}])[0].get("tier", "none")
            counts[tier] = counts.get(tier, 0) + len(rows)
    return counts
