"""Where the book's parts are: the repository root and the folders the build reads and writes."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
