"""The editor validation suite behind `make check` (kb check).

One module per concern; each registers its checks (kbtools/checks/registry.py)
when imported here.
"""
from kbtools.checks import (  # noqa: F401  (registers the checks)
    a11y, drift, encoding, front_matter, languages, layout, links, markers, parity, placeholders, terms,
    unfinished, unsafe)
from kbtools.checks.config import Config, ConfigError, load
from kbtools.checks.registry import REGISTRY, Finding
from kbtools.checks.runner import run, selected

__all__ = ["Config", "ConfigError", "Finding", "REGISTRY", "load", "run", "selected"]
