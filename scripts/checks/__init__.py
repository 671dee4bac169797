"""The editor validation suite behind `make check` (python -m scripts check).

One module per concern; each registers its checks (scripts/checks/registry.py)
when imported here.
"""
from scripts.checks import (  # noqa: F401  (registers the checks)
    a11y, encoding, front_matter, languages, links, markers, parity, placeholders, terms, unsafe)
from scripts.checks.config import Config, ConfigError, load
from scripts.checks.registry import REGISTRY, Finding
from scripts.checks.runner import run, selected

__all__ = ["Config", "ConfigError", "Finding", "REGISTRY", "load", "run", "selected"]
