"""Dependencies between the apps run one way, downwards (order in :mod:`remix.layering`).

Every module of every app is parsed (``ast``): an import of an app that stands above, or of
another app on the same level, fails the test, wherever the import sits (a function-level
import does not dodge the rule). The tests themselves are free to import anything.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from remix.layering import APP_LAYERS, SHARED_MODULES, level_of

ROOT = Path(__file__).resolve().parent.parent
APPS = [app for level in APP_LAYERS for app in level]


def imported_modules(path: Path) -> list[tuple[int, str]]:
    """(line, module) of every absolute import in a Python file."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module))
    return found


def violations(app: str, root: Path = ROOT) -> list[str]:
    """The imports in ``app`` of an app above it or beside it."""
    own_level = level_of(app)
    out = []
    for path in sorted((root / app).rglob("*.py")):
        for line, module in imported_modules(path):
            target = module.split(".")[0]
            if target == app or module in SHARED_MODULES:
                continue
            target_level = level_of(target)
            if target_level is not None and target_level >= own_level:
                out.append(f"{path.relative_to(root)}:{line} imports {module}")
    return out


def test_every_app_of_the_project_has_its_place_in_the_order():
    apps_on_disk = {p.parent.name for p in ROOT.glob("*/apps.py")}
    assert apps_on_disk == set(APPS)


@pytest.mark.parametrize("app", APPS)
def test_no_app_imports_one_above_or_beside_it(app):
    assert violations(app) == []


def test_the_check_sees_an_upward_import_even_inside_a_function(tmp_path):
    # The rule bites: a module of the engine importing a domain app is reported.
    engine = tmp_path / "layers"
    engine.mkdir()
    (engine / "bad.py").write_text("def f():\n    from rigenerazione.models import Intervento\n")
    assert violations("layers", root=tmp_path) == ["layers/bad.py:2 imports rigenerazione.models"]
