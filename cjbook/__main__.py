"""Command line for the book's maintenance tasks (the Makefile calls these).

python -m cjbook data-check                       validate every data file
python -m cjbook data-hash                        record checksums after a deliberate change
python -m cjbook numbers-compare EXPECTED ACTUAL  diff two numbers manifests
python -m cjbook numbers-accept ACTUAL EXPECTED   make a build's numbers the reference
python -m cjbook edition OUT.yml [--force] [--student] [--live]
                                                  write the configuration of an edition
python -m cjbook lint                             ruff over the chapters' code cells
python -m cjbook format                           format the chapters' code cells in place
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

from cjbook import editions, lint, manifest
from cjtrade import data


def data_check(_: argparse.Namespace) -> int:
    problems = data.check_package()
    for problem in problems:
        print(f"ERROR {problem}", file=sys.stderr)
    count = len(data.read_package()["resources"])
    print(f"{count} resources checked, {len(problems)} problem(s)")
    return 1 if problems else 0


def data_hash(_: argparse.Namespace) -> int:
    print(f"updated checksums: {', '.join(data.rehash()) or 'none'}")
    return 0


def numbers_compare(args: argparse.Namespace) -> int:
    expected = manifest.read_manifest(args.expected)
    actual = manifest.read_manifest(args.actual)
    lines = manifest.differences(expected, actual)
    for line in lines:
        print(f"DIFF {line}")
    print(f"numbers: {len(actual)} checked, {len(lines)} difference(s)")
    return 1 if lines else 0


def numbers_accept(args: argparse.Namespace) -> int:
    count = len(manifest.read_manifest(args.actual))  # refuse a missing or malformed manifest
    shutil.copyfile(args.actual, args.expected)
    print(f"{args.expected} now records {count} values: review `git diff` before committing")
    return 0


def edition(args: argparse.Namespace) -> int:
    editions.write(args.out, force=args.force, student=args.student, with_live_code=args.live)
    return 0


def parser() -> argparse.ArgumentParser:
    """Return the argument parser with one sub-command per task."""
    root = argparse.ArgumentParser(prog="python -m cjbook", description=__doc__.splitlines()[0])
    sub = root.add_subparsers(dest="command", required=True)
    sub.add_parser("data-check", help="validate every data file").set_defaults(run=data_check)
    sub.add_parser("data-hash", help="record checksums after a deliberate change").set_defaults(
        run=data_hash
    )
    compare = sub.add_parser("numbers-compare", help="diff a build's numbers with the reference")
    compare.add_argument("expected", type=Path)
    compare.add_argument("actual", type=Path)
    compare.set_defaults(run=numbers_compare)
    accept = sub.add_parser("numbers-accept", help="make a build's numbers the reference")
    accept.add_argument("actual", type=Path)
    accept.add_argument("expected", type=Path)
    accept.set_defaults(run=numbers_accept)
    config = sub.add_parser("edition", help="write the configuration of an edition")
    config.add_argument("out", type=Path)
    config.add_argument("--force", action="store_true", help="execute every notebook from scratch")
    config.add_argument("--student", action="store_true", help="leave exercise solutions out")
    config.add_argument("--live", action="store_true", help="run code cells on a local server")
    config.set_defaults(run=edition)
    sub.add_parser("lint", help="ruff over the chapters' code").set_defaults(
        run=lambda _: lint.check()
    )
    sub.add_parser("format", help="format the chapters' code cells").set_defaults(
        run=lambda _: lint.format_in_place()
    )
    return root


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
