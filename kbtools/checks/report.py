"""Print findings: text (path:line:col: code message, grouped by file), JSON, or GitHub annotations."""
from __future__ import annotations

import json
from collections import Counter


def text(findings) -> str:
    return "".join(f.text() + "\n" for f in findings)


def as_json(findings, summary_line: str) -> str:
    return json.dumps({"findings": [{"path": f.path, "line": f.line, "col": f.col, "code": f.code,
                                     "severity": f.severity, "message": f.message} for f in findings],
                       "summary": summary_line}, ensure_ascii=False, indent=2) + "\n"


def _escape(value: str, property_: bool = False) -> str:
    value = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return value.replace(":", "%3A").replace(",", "%2C") if property_ else value


def github(findings) -> str:
    """Workflow commands: each finding becomes an annotation on its file and line."""
    return "".join(
        f"::{'error' if f.severity == 'error' else 'warning'} file={_escape(f.path, True)},line={f.line},"
        f"col={f.col},title={_escape(f.code, True)}::{_escape(f.message)}\n" for f in findings)


def summary(findings, files: int, seconds: float) -> str:
    severities = Counter(f.severity for f in findings)
    paths = len({f.path for f in findings})
    if not findings:
        return f"{files} files checked in {seconds:.1f} s: no findings"
    plural = lambda n, word: f"{n} {word}{'' if n == 1 else 's'}"  # noqa: E731
    parts = [plural(severities.get("error", 0), "error"), plural(severities.get("warning", 0), "warning")]
    codes = ", ".join(f"{code} {n}" for code, n in sorted(Counter(f.code for f in findings).items()))
    return f"{files} files checked in {seconds:.1f} s: {' and '.join(parts)} in {plural(paths, 'file')} ({codes})"
