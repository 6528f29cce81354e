"""Where the book's parts are: the repository root and the folders the build reads and writes."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REFERENCE_NUMBERS = ROOT / "book" / "appendix" / "reference-numbers.json"
