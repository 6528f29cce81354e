"""Write a variant of _config.yml for one kind of build.

- ``--force``: execute every notebook from scratch (``make verify`` must not trust the cache);
- ``--student``: leave every exercise solution out of the book (``make book-student``);
- ``--live``: a "Live Code" button runs the code cells with Thebe on the local Jupyter server that
  ``make live`` starts (:mod:`cjtrade.live`); its token is kept beside OUT.yml.

Usage: ``python scripts/derived_config.py OUT.yml [--force] [--student] [--live]``.
"""

import argparse
from pathlib import Path

import yaml

from cjtrade import live as live_code

ROOT = Path(__file__).resolve().parent.parent


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
    if student:
        config["sphinx"]["config"]["cjtrade_hide_solutions"] = True
        config["title"] += " (student edition)"
    if live_token:
        config["sphinx"]["config"]["cjtrade_live_server"] = {
            "url": live_code.SERVER_URL,
            "token": live_token,
        }
    return config


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--force", action="store_true", help="execute every notebook from scratch")
    parser.add_argument("--student", action="store_true", help="leave exercise solutions out")
    parser.add_argument(
        "--live", action="store_true", help="run code cells on the local Jupyter server"
    )
    args = parser.parse_args()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    token = live_code.token(args.out.parent) if args.live else ""
    config = derived_config(force=args.force, student=args.student, live_token=token)
    args.out.write_text(
        yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )


if __name__ == "__main__":
    main()
