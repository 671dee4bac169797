"""How long `make serve ONLY=xx` takes to show a changed page: the real `mkdocs serve --dirty`
on 127.0.0.1, a page written again, the time until MkDocs has rebuilt and reloads the browser."""
from __future__ import annotations

import os
import queue
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

BUILT = re.compile(r"Documentation built in ([\d.]+) seconds")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rebuilds(root: Path, lang: str, page: Path, times: int = 3, timeout: float = 300.0) -> dict:
    """Start the dev server for `lang`, then `times` times write `page` (same text) and wait for the
    rebuild. Returns each rebuild's seconds: from the write to "Reloading browsers" (what an editor
    waits) and MkDocs' own "built in" figure."""
    env = {**os.environ, "KB_ONLY": lang, "NO_MKDOCS_2_WARNING": "1"}
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "--dirty", "--no-strict", "-a", f"127.0.0.1:{port}"],
                            cwd=root, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    lines: queue.Queue = queue.Queue()
    threading.Thread(target=lambda: [lines.put((time.perf_counter(), line)) for line in proc.stderr],
                     daemon=True).start()

    def wait_for(text: str, deadline: float, since: float = 0.0) -> tuple[float, list[str]]:
        """The time of the first line with `text` printed after `since`, and the lines read."""
        seen = []
        while True:
            left = deadline - time.perf_counter()
            if left <= 0 or proc.poll() is not None and lines.empty():
                raise RuntimeError(f"mkdocs serve: no '{text}' (last lines: {seen[-5:]})")
            try:
                at, line = lines.get(timeout=min(left, 1.0))
            except queue.Empty:
                continue
            if at < since:
                continue  # printed before the change (a second rebuild of the previous one)
            seen.append(line.strip())
            if text in line:
                return at, seen
            if "error happened during the rebuild" in line or "Aborted" in line:
                raise RuntimeError(f"mkdocs serve: the rebuild failed: {seen[-5:]}")

    original = page.read_bytes()
    waits, built = [], []
    try:
        start = time.perf_counter()
        _, seen = wait_for("Serving on", start + timeout)
        first = next((float(m.group(1)) for line in seen if (m := BUILT.search(line))), None)
        for _ in range(times):
            _quiet(lines)  # the previous change's rebuilds are over (the watcher may fire twice)
            written = time.perf_counter()
            page.write_bytes(original)
            at, seen = wait_for("Reloading browsers", written + timeout, since=written)
            waits.append(at - written)
            built += [float(m.group(1)) for line in seen if (m := BUILT.search(line))]
    finally:
        page.write_bytes(original)
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
    return {"language": lang, "page": page.relative_to(root).as_posix(), "first_build_seconds": first,
            "rebuild_seconds": [round(w, 2) for w in waits], "rebuild_seconds_median": round(statistics.median(waits), 2),
            "mkdocs_built_in_seconds": built}


def _quiet(lines: queue.Queue, seconds: float = 1.0) -> None:
    """Wait until the server has printed nothing for `seconds` (past the watcher's debounce)."""
    while True:
        try:
            lines.get(timeout=seconds)
        except queue.Empty:
            return


if __name__ == "__main__":
    root = Path(sys.argv[1]).resolve()
    print(rebuilds(root, sys.argv[2], root / sys.argv[3]))
