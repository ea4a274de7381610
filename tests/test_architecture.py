"""The layering that keeps the core portable: ui -> services -> storage -> domain."""

from __future__ import annotations

import ast
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "referral_app"


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
    return names


@pytest.mark.parametrize("path", sorted((PACKAGE / "domain").rglob("*.py")), ids=lambda p: p.name)
def test_domain_modules_import_only_the_standard_library(path: Path) -> None:
    for name in _imports(path):
        top = name.split(".")[0]
        assert top in sys.stdlib_module_names or name.startswith("referral_app.domain"), (
            f"{path.name} imports {name}"
        )


def _underscore_imports(source: str, where: str) -> list[str]:
    """``from x import _name`` lines: a module's underscore names are its own to change."""
    return [
        f"{where}:{node.lineno} imports {alias.name} from {node.module}"
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.ImportFrom)
        for alias in node.names
        if alias.name.startswith("_") and not alias.name.startswith("__")
    ]


def test_no_module_imports_another_modules_underscore_names() -> None:
    found = [
        line
        for path in sorted(PACKAGE.rglob("*.py"))
        for line in _underscore_imports(path.read_text(encoding="utf-8"), path.name)
    ]
    assert found == []


def test_the_underscore_check_finds_a_planted_import() -> None:
    planted = "from referral_app.storage.mapping import from_row, _helper\n"
    assert _underscore_imports(planted, "planted.py") == [
        "planted.py:1 imports _helper from referral_app.storage.mapping"
    ]


def test_eligibility_imports_with_nothing_but_the_standard_library() -> None:
    # -S leaves site-packages off the path, so PySide6 and SQLAlchemy cannot be found.
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]);"
        "import referral_app.eligibility as e;"
        "import referral_app.domain.dates;"
        "assert e.assess({}).outcome == 'more_information_needed';"
        "heavy = ('PySide6', 'sqlalchemy', 'sqlcipher3');"
        "bad = {m for m in sys.modules if m.split('.')[0] in heavy};"
        "print(sorted(bad))"
    )
    result = subprocess.run(
        [sys.executable, "-S", "-I", "-c", code, str(ROOT)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_import_contracts_hold() -> None:
    # In a process of its own: import-linter configures logging, which would switch off the
    # loggers of modules already imported by other tests.
    code = (
        "import sys; from importlinter.cli import lint_imports; "
        f"sys.exit(lint_imports(config_filename={str(ROOT / 'pyproject.toml')!r}, no_cache=True))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, cwd=ROOT
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_package_is_listed_for_installation() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    listed = set(config["tool"]["setuptools"]["packages"])
    found = {".".join(init.parent.relative_to(ROOT).parts) for init in PACKAGE.rglob("__init__.py")}
    assert found <= listed, f"add to pyproject.toml: {sorted(found - listed)}"


@pytest.mark.parametrize("path", sorted((PACKAGE / "services").rglob("*.py")), ids=lambda p: p.name)
def test_services_use_no_widgets(path: Path) -> None:
    # Services may render documents with QtGui, but widgets belong to the ui package.
    assert not any(name.startswith("PySide6.QtWidgets") for name in _imports(path))
