"""`python -m kbtools <command>`: the project's CLI (kbtools/cli.py)."""
import sys

from kbtools.cli import main

sys.exit(main())
