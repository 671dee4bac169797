"""The Nu Html Checker (vnu.jar, npm package vnu-jar pinned in package.json) over built HTML.

One Java process checks a whole folder (`check`); its errors are findings
`path:line: message`. Errors that Material's own markup causes and that the
project does not fix are allowed by name in kbtools/theme.py (NU_ALLOWED),
each with its reason; an allowed error that no longer occurs is reported as
stale, so the list only ever shrinks. Java comes from the system
(kbtools/ensure-java.sh; `make html-checker`).
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

PROJECT = Path(__file__).resolve().parent.parent
JAR = PROJECT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
JAVA = os.environ.get("KB_JAVA", "java")
MIN_JAVA = 17


class NuError(RuntimeError):
    pass


@dataclass(frozen=True)
class Finding:
    path: str  # relative to the checked folder
    line: int | None
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line or 0}: {self.message}"


def java_version(java: str = JAVA) -> int | None:
    """The major version of `java`, or None when there is none."""
    if shutil.which(java) is None:
        return None
    out = subprocess.run([java, "-version"], capture_output=True, text=True).stderr
    match = re.search(r'version "(\d+)(?:\.(\d+))?', out)
    if not match:
        return None
    major = int(match.group(1))
    return int(match.group(2) or 0) if major == 1 else major


def missing() -> str | None:
    """What keeps the checker from running, with how to get it; None when it can run."""
    version = java_version()
    if version is None or version < MIN_JAVA:
        found = f" (found Java {version})" if version else ""
        return (f"Java {MIN_JAVA}+ for the Nu Html Checker{found}: run `make html-checker` as root, "
                "or `sudo apt-get install default-jre-headless`")
    if not JAR.is_file():
        return f"{JAR.relative_to(PROJECT)}: run `make node` (npm ci installs vnu-jar)"
    return None


def check(folder: Path) -> list[Finding]:
    """Every error the checker finds in the HTML files under `folder` (one Java process)."""
    result = subprocess.run([JAVA, "-Xss4m", "-jar", str(JAR), "--format", "json", "--errors-only",
                             "--skip-non-html", "--exit-zero-always", str(folder)],
                            capture_output=True, text=True)
    try:
        report = json.loads(result.stderr)
    except json.JSONDecodeError:
        raise NuError(f"vnu.jar did not answer in JSON (exit {result.returncode}): "
                      f"{(result.stderr or result.stdout)[-2000:]}") from None
    return findings(report, folder)


def findings(report: dict, folder: Path) -> list[Finding]:
    """The errors of a vnu JSON report (fatal and I/O errors included), paths relative to `folder`."""
    root = folder.resolve().as_posix().rstrip("/") + "/"
    out = []
    for message in report.get("messages", []):
        if message.get("type") not in ("error", "non-document-error") and message.get("subType") != "fatal":
            continue
        path = unquote(urlsplit(message.get("url", "")).path)
        path = path[len(root):] if path.startswith(root) else path
        out.append(Finding(path, message.get("lastLine"), " ".join(message.get("message", "").split())))
    return sorted(out, key=lambda f: (f.path, f.line or 0, f.message))


def unexpected(found: list[Finding], allowed: dict) -> list[Finding]:
    """The findings no entry of `allowed` (theme.NU_ALLOWED) covers."""
    return [f for f in found if not any(_covers(entry, f) for entry in allowed.values())]


def stale(found: list[Finding], allowed: dict) -> list[str]:
    """Names of `allowed` entries that no finding needs any more (fixed: remove them)."""
    return [name for name, entry in allowed.items() if not any(_covers(entry, f) for f in found)]


def _covers(entry: dict, finding: Finding) -> bool:
    return re.search(entry["message"], finding.message) is not None
