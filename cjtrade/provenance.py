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

Every copy is read on a host the package knows: ``copyHosts`` in ``datapackage.json`` records,
for each host a copy is read from, what it is (``HOST_KINDS``: the publisher, an official body, a
named news outlet with its publisher, a data repository, or a named author's own site quoting a
paywalled report) and its name. A copy on a host that is
not recorded fails, whatever the host: the rule lists what is allowed, not past offenders. A record
no copy uses fails too, so the registry describes exactly the copies in the package, and a tier
must suit its host (``TIER_HOST_KINDS``: a primary copy is on the publisher's or an official body's
site, a data copy in a data repository). Rows that were
moved to a better copy, dropped or added to fill a gap are listed in the resource's
``provenanceChanges``, so its history stays visible.

:func:`problems` returns one message per broken rule, naming file, row and rule; it is called by
:func:`cjtrade.data.check_package`, so ``make data-check`` fails on any of them.
"""

from __future__ import annotations

import csv
from pathlib import Path
from urllib.parse import urlparse

TIERS = ("primary", "official-republication", "data-copy", "press-report")
CITATION_FIELDS = ("publisher", "title", "date", "table")
ROW_COLUMNS = ("url", "tier", "primary")
CHANGE_ACTIONS = ("replaced", "dropped", "added")
CHANGE_FIELDS = ("row", "action", "reason")

# What a host a copy is read from may be (the values of copyHosts[host]["kind"]).
HOST_KINDS = {
    "publisher": "the publisher of the figures, on its own site",
    "official body": "a government or industry body that publishes or republishes official figures",
    "news outlet": "a named news outlet or trade paper, which names its publisher",
    "data repository": "a repository holding commit-pinned copies of publishers' data files",
    "named author": "a named professional's own site quoting a report that is not open to read "
    "(a paywalled article): a claim read second-hand, at the press-report tier only",
}
# Tiers that only some kinds of host can carry: the publisher's own page is on the publisher's (or
# an official body's) host, and a data copy sits in a data repository.
TIER_HOST_KINDS = {
    "primary": ("publisher", "official body"),
    "official-republication": ("publisher", "official body", "news outlet", "data repository"),
    "data-copy": ("data repository",),
}


def host_of(url: str) -> str:
    """Return the host a copy at *url* is read from, lower-case, without port or trailing dot."""
    return (urlparse(url).hostname or "").rstrip(".").lower()


def is_url(text: str) -> bool:
    """Whether *text* is the address of a copy (a path like 'per row: ...' is not)."""
    return text.startswith(("http://", "https://"))


def _host_record_problems(hosts: dict, where: str) -> list[str]:
    """Check that every record of ``copyHosts`` says what the host is."""
    found = []
    for host, record in sorted(hosts.items()):
        place = f"{where}: copyHosts[{host!r}]: rule 'host-record'"
        kind = record.get("kind") if isinstance(record, dict) else None
        if kind not in HOST_KINDS:
            found.append(f"{place}: kind {kind!r} is not one of {', '.join(HOST_KINDS)}")
            continue
        if not str(record.get("name", "")).strip():
            found.append(f"{place}: the record names no {kind}")
        if kind == "news outlet" and not str(record.get("publisher", "")).strip():
            found.append(f"{place}: a news outlet's record names its publisher")
    return found


def copies(descriptor: dict, data_dir: Path) -> list[tuple[str, str, str]]:
    """Return (where, url, tier) for every copy a resource was read in: its sources' addresses,
    each row's ``url`` and the new copies its ``provenanceChanges`` name."""
    path = Path(data_dir) / descriptor["path"]
    file = str(path)
    found = []
    for number, source in enumerate(descriptor.get("sources") or [], start=1):
        if is_url(source.get("path", "")):
            found.append((f"{file}: source {number}", source["path"], source.get("tier", "")))
    if "primarySources" in descriptor and path.is_file():
        with open(path, encoding="utf-8", newline="") as handle:
            for number, row in enumerate(csv.DictReader(handle), start=2):
                if is_url(row.get("url") or ""):
                    found.append((f"{file}: row {number}", row["url"], row.get("tier", "")))
    for number, change in enumerate(descriptor.get("provenanceChanges", []), start=1):
        if is_url(change.get("now", "")):
            found.append((f"{file}: provenanceChanges[{number}]", change["now"], ""))
    return found


def host_problems(package: dict, data_dir: Path) -> list[str]:
    """Check every copy's host against ``copyHosts`` (rule 'registered-host'), the records
    themselves (rule 'host-record'), and that a tier's copy is on a host that can carry it."""
    where = str(Path(data_dir) / "datapackage.json")
    hosts = package.get("copyHosts")
    if not isinstance(hosts, dict):
        return [f"{where}: rule 'host-record': the package records no copyHosts"]
    found = _host_record_problems(hosts, where)
    used = set()
    for descriptor in package["resources"]:
        for place, url, tier in copies(descriptor, data_dir):
            host = host_of(url)
            used.add(host)
            record = hosts.get(host)
            if record is None:
                found.append(
                    f"{place}: rule 'registered-host': {url} is read on {host or 'no host'}, "
                    f"which copyHosts does not record; record what the host is ("
                    f"{', '.join(HOST_KINDS)}) or cite a copy on a recorded host"
                )
            elif tier in TIER_HOST_KINDS and record.get("kind") not in TIER_HOST_KINDS[tier]:
                found.append(
                    f"{place}: rule 'tier-host': a {tier} copy cannot be on {host}, a "
                    f"{record.get('kind')}; allowed: {', '.join(TIER_HOST_KINDS[tier])}"
                )
    for host in sorted(set(hosts) - used):
        found.append(f"{where}: copyHosts[{host!r}]: rule 'host-record': no copy is read there")
    return found


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
    if url.strip():
        return []
    return [f"{where}: rule 'copy-read': no copy read (url) is given"]


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
    found = [p for r in package["resources"] for p in resource_problems(r, Path(data_dir))]
    return found + host_problems(package, Path(data_dir))


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
