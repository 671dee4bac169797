"""The fonts of the PDFs: DejaVu Sans and Sans Mono, from Debian's fonts-dejavu.

Named by file (not by fontconfig family) so that every machine embeds the
same font whatever else is installed; DejaVu covers every character of
English, Spanish, Portuguese and French. kbtools/ensure-pdf-deps.sh installs
the packages when they are missing.
"""
from __future__ import annotations

import hashlib
import os
from pathlib import Path

DIRS = [os.environ.get("KB_PDF_FONT_DIR", ""), "/usr/share/fonts/truetype/dejavu"]
# (CSS family, weight, style, file)
FACES = [
    ("KB Sans", "normal", "normal", "DejaVuSans.ttf"),
    ("KB Sans", "bold", "normal", "DejaVuSans-Bold.ttf"),
    ("KB Sans", "normal", "italic", "DejaVuSans-Oblique.ttf"),
    ("KB Sans", "bold", "italic", "DejaVuSans-BoldOblique.ttf"),
    ("KB Mono", "normal", "normal", "DejaVuSansMono.ttf"),
    ("KB Mono", "bold", "normal", "DejaVuSansMono-Bold.ttf"),
]


class FontError(RuntimeError):
    pass


def font_dir() -> Path:
    for name in DIRS:
        if name and all((Path(name) / face[3]).is_file() for face in FACES):
            return Path(name)
    missing = ", ".join(face[3] for face in FACES)
    raise FontError(f"the PDF fonts ({missing}) are not installed; run kbtools/ensure-pdf-deps.sh "
                    "(Debian: apt-get install fonts-dejavu-core fonts-dejavu-extra) or set KB_PDF_FONT_DIR")


def css() -> str:
    folder = font_dir()
    return "\n".join(
        f'@font-face {{ font-family: "{family}"; font-weight: {weight}; font-style: {style}; '
        f'src: url("{(folder / name).as_uri()}"); }}'
        for family, weight, style, name in FACES)


def fingerprint() -> str:
    """Changes when a font file changes (size and mtime: cheap on every run)."""
    folder = font_dir()
    digest = hashlib.sha256()
    for *_, name in FACES:
        stat = (folder / name).stat()
        digest.update(f"{name}:{stat.st_size}:{int(stat.st_mtime)}\n".encode())
    return digest.hexdigest()
