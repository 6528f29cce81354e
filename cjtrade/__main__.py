"""Command line for the book's maintenance tasks (the Makefile calls these).

python -m cjtrade data-check                      validate every data file
python -m cjtrade data-hash                       record checksums after a deliberate change
python -m cjtrade numbers-compare EXPECTED ACTUAL  diff two numbers manifests
python -m cjtrade numbers-accept ACTUAL EXPECTED   make a build's numbers the reference
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

from cjtrade import data, numbers


def data_check(_: argparse.Namespace) -> int:
    problems = data.check_package()
    for problem in problems:
        print(f"ERROR {problem}", file=sys.stderr)
    print(f"{len(data.read_package()['resources'])} resources checked, {len(problems)} problem(s)")
    return 1 if problems else 0


def data_hash(_: argparse.Namespace) -> int:
    print(f"updated checksums: {', '.join(data.rehash()) or 'none'}")
    return 0


def numbers_compare(args: argparse.Namespace) -> int:
    expected, actual = numbers.read_manifest(args.expected), numbers.read_manifest(args.actual)
    lines = numbers.differences(expected, actual)
    for line in lines:
        print(f"DIFF {line}")
    print(f"numbers: {len(actual)} checked, {len(lines)} difference(s)")
    return 1 if lines else 0


def numbers_accept(args: argparse.Namespace) -> int:
    count = len(numbers.read_manifest(args.actual))  # refuse a missing or malformed manifest
    shutil.copyfile(args.actual, args.expected)
    print(f"{args.expected} now records {count} values: review `git diff` before committing")
    return 0


def parser() -> argparse.ArgumentParser:
    """Return the argument parser with one sub-command per task."""
    root = argparse.ArgumentParser(prog="python -m cjtrade", description=__doc__.splitlines()[0])
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
    return root


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
