"""What every bench section records of the machine it ran on, before and after:
these machines are shared, and a figure means little without the load beside it."""
from __future__ import annotations

import os
import sys
from pathlib import Path


def _first(path: str, key: str) -> str | None:
    try:
        for line in Path(path).read_text().splitlines():
            if line.startswith(key):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return None


def describe() -> dict:
    """Cores, CPU model, memory, load average (1, 5, 15 minutes), Python."""
    mem = _first("/proc/meminfo", "MemTotal")
    return {"cores": os.cpu_count(), "cpu_model": _first("/proc/cpuinfo", "model name"),
            "memory_gib": round(int(mem.split()[0]) / 2**20, 1) if mem else None,
            "load_average": [round(x, 2) for x in os.getloadavg()], "python": sys.version.split()[0]}
