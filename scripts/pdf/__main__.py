"""`python -m scripts.pdf` is `python -m scripts pdf` (scripts/cli.py)."""
import sys

from scripts.cli import main

if __name__ == "__main__":
    sys.exit(main(["pdf", *sys.argv[1:]]))
