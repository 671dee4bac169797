"""python -m scripts.search --lang es "query": answers from the built site's index."""
from scripts.cli import main

if __name__ == "__main__":
    raise SystemExit(main(["search", *__import__("sys").argv[1:]]))
