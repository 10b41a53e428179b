"""The direction of dependencies between the apps (docs/architecture.md), checked by import-linter.

The contract lives in ``pyproject.toml`` (``[tool.importlinter]``); these tests run it on the real tree,
show that it would catch an import against the direction, and keep its list of the shop modules whole.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("marketplace", "green_venue", "vouchers", "merchants", "carbon")
LINT_IMPORTS = [
    sys.executable,
    "-c",
    "import sys; from importlinter.cli import lint_imports_command; sys.exit(lint_imports_command())",
    "--no-cache",
]


def _lint_imports(cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(LINT_IMPORTS, cwd=cwd, capture_output=True, text=True, timeout=120, check=False)


def _copy_tree(target: Path) -> None:
    shutil.copy(ROOT / "pyproject.toml", target / "pyproject.toml")
    for package in PACKAGES:
        shutil.copytree(
            ROOT / package, target / package, ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "*.mo")
        )


def test_the_apps_depend_downwards_only() -> None:
    result = _lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 kept, 0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "upward_import"),
    [
        ("marketplace/core/money.py", "import marketplace.orders.models"),
        ("green_venue/selectors.py", "from carbon import selectors"),
        ("marketplace/orders/pricing.py", "import carbon.services"),
        ("vouchers/selectors.py", "from marketplace.orders import services"),
    ],
)
def test_an_import_against_the_direction_breaks_the_contract(
    tmp_path: Path, module: str, upward_import: str
) -> None:
    _copy_tree(tmp_path)
    path = tmp_path / module
    path.write_text(path.read_text(encoding="utf-8") + f"\n{upward_import}  # planted by the test\n")
    result = _lint_imports(tmp_path)
    assert result.returncode != 0, result.stdout
    assert "BROKEN" in result.stdout


def test_every_shop_module_is_in_the_contract() -> None:
    """The shop modules are listed one by one (the alliance inside the same folder is a layer above):
    a new module of ``merchants/`` must be listed too, or its imports would go unchecked."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    layers = config["tool"]["importlinter"]["contracts"][0]["layers"]
    listed = {name.strip() for layer in layers for name in layer.replace("|", ":").split(":")}
    modules = {
        f"merchants.{path.stem if path.is_file() else path.name}"
        for path in (ROOT / "merchants").iterdir()
        if (path.suffix == ".py" and path.stem != "__init__") or (path / "__init__.py").exists()
    }
    assert modules - {"merchants.alliance"} <= listed, sorted(modules - listed)
