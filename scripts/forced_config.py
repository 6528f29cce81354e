"""Write a copy of _config.yml that executes every notebook from scratch (used by `make verify`).

The everyday build uses the execution cache; verification must not trust it, so this copy sets
``execute_notebooks: force``. Usage: ``python scripts/forced_config.py OUT.yml``.
"""

import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def forced_config(source: Path = ROOT / "_config.yml") -> dict:
    """Return the book configuration with cached execution replaced by forced execution."""
    config = yaml.safe_load(source.read_text(encoding="utf-8"))
    config["execute"]["execute_notebooks"] = "force"
    return config


if __name__ == "__main__":
    out = Path(sys.argv[1])
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(yaml.safe_dump(forced_config(), allow_unicode=True, sort_keys=False), encoding="utf-8")
