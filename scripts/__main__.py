"""`python -m scripts <command>`: the project's CLI (scripts/cli.py)."""
import sys

from scripts.cli import main

sys.exit(main())
