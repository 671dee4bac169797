"""PDF editions of the guides: one PDF per guide and language, from the built site.

`python -m kbtools.pdf` (or `make pdf`) reads site/ as `make site` left it,
assembles each guide's chapters into one HTML document (collect.py,
assemble.py), renders it with WeasyPrint (typeset.py) in a process pool with a
progress bar per file (run.py), skips files whose inputs did not change
(cache.py), and records every file in build/downloads.json (kbtools/downloads.py).
MkDocs' PDF plugins are dead or write one file for all languages; see DESIGN.md.
"""
