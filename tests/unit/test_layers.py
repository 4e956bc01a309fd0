"""The domain never imports the web layer, and its maths never imports the database layer."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import forecasts

DOMAIN = sorted(
    f"forecasts.{m.name}" for m in pkgutil.iter_modules(forecasts.__path__) if m.name not in {"cli", "__main__"}
)
MATHS = [
    m
    for m in DOMAIN
    if m.split(".")[1]
    in {"model", "errors", "interpret", "grid", "pool", "stance", "scoring", "fit", "survey", "phrases", "explain"}
]


def _imports(modules: list[str], forbidden: str) -> bool:
    code = f"import sys\nfor m in {modules!r}: __import__(m)\nprint({forbidden!r} in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return out.stdout.strip() == "True"


def test_forecasts_does_not_import_flask() -> None:
    assert DOMAIN
    assert not _imports(DOMAIN, "flask")


def test_the_maths_modules_do_not_import_sqlalchemy() -> None:
    assert "forecasts.model" in MATHS
    assert not _imports(MATHS, "sqlalchemy")
