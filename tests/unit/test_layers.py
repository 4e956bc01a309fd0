"""The layers of ``forecasts/`` are its folders, and each imports only the layers below it.

- ``engine``: the maths, on plain values;
- ``reading``: words into the engine's values;
- ``storage``: the database, records, imports and exports, which store the engine's values;
- ``services``: what the web layer and the command line call, combining the three.

``forecasts.errors`` is shared by all; ``forecasts.cli`` sits on top. The rule is read from the
folders, so a new module is checked by where it is put. The domain never imports the web layer,
and the engine never loads the database library, even indirectly.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "forecasts"
#: layer -> the layers it may import (besides itself and forecasts.errors)
MAY_IMPORT: dict[str, set[str]] = {
    "engine": set(),
    "reading": {"engine"},
    "storage": {"engine"},
    "services": {"engine", "reading", "storage"},
}
SHARED = {"errors"}


def _modules() -> list[tuple[str, Path]]:
    """(layer, file) for every module in a layer folder."""
    return [(path.parent.name, path) for path in sorted(PACKAGE.glob("*/*.py"))]


def _imported_layers(path: Path) -> set[str]:
    """The top-level parts of ``forecasts`` (a layer or a shared module) that a file imports."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names: list[str] = []
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
        elif isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        for name in names:
            parts = name.split(".")
            if parts[0] == "forecasts" and len(parts) > 1:
                found.add(parts[1])
    return found


def test_every_module_lives_in_a_layer_folder() -> None:
    layers = {p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    assert layers == set(MAY_IMPORT)
    top = {p.stem for p in PACKAGE.glob("*.py")}
    assert top == {"__init__", "cli", "errors"}


@pytest.mark.parametrize(("layer", "path"), _modules(), ids=[f"{layer}/{p.name}" for layer, p in _modules()])
def test_a_layer_imports_only_the_layers_below_it(layer: str, path: Path) -> None:
    allowed = {layer} | MAY_IMPORT[layer] | SHARED
    assert _imported_layers(path) <= allowed, f"forecasts/{layer}/{path.name} imports outside {sorted(allowed)}"


def test_the_rule_sees_a_forbidden_import(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("from forecasts.storage.orm import Claim\nimport forecasts.services.service\n")
    assert _imported_layers(bad) == {"storage", "services"}


def _loads(modules: list[str], library: str) -> bool:
    code = f"import sys\nfor m in {modules!r}: __import__(m)\nprint({library!r} in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return out.stdout.strip() == "True"


def _dotted(layer: str | None = None) -> list[str]:
    return [f"forecasts.{lay}.{p.stem}" for lay, p in _modules() if p.stem != "__init__" and layer in (None, lay)]


def test_forecasts_does_not_import_flask() -> None:
    assert not _loads(_dotted(), "flask")


def test_the_engine_does_not_load_the_database_library() -> None:
    engine = _dotted("engine")
    assert "forecasts.engine.curves" in engine and "forecasts.engine.history" in engine
    assert not _loads(engine, "sqlalchemy")


def test_the_reader_does_not_load_the_database_library() -> None:
    assert not _loads(_dotted("reading"), "sqlalchemy")
