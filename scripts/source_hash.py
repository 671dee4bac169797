"""Print the source hash of reference-language pages: python -m scripts.source_hash FILE..."""
import sys
from pathlib import Path

from scripts.frontmatter import source_hash

if __name__ == "__main__":
    for name in sys.argv[1:]:
        print(f"{source_hash(Path(name).read_text(encoding='utf-8'))}  {name}")
