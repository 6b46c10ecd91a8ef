"""Apps import downward only, and the rules import no Django: every import of every module is walked — top
level, inside functions, and module paths written as strings for ``import_module`` or registries.

    rules, textsafety (pure Python)  ←  orgs, charts, caching  ←  filing  ←  editing / excel / workflow  ←  evidence  ←  publishing
    ←  portal, notices

Project modules (settings, urls, wsgi, env, middleware) sit above every app. An app above reaches down with an
import; an app below that needs something done above offers a hook (perfeval.filing.hooks,
perfeval.workflow.services.on_transition) that the app above registers in its AppConfig.ready.
"""

import ast
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "perfeval"
LAYERS = {
    "rules": 0,
    "textsafety": 0,
    "charts": 1,
    "caching": 1,
    "orgs": 1,
    "filing": 2,
    "editing": 3,
    "excel": 3,
    "workflow": 3,
    "evidence": 4,
    "publishing": 5,
    "portal": 6,
    "notices": 6,
}
PROJECT = {"settings", "urls", "wsgi", "env", "middleware"}
MODULE_PATH = re.compile(r"^perfeval(\.\w+)+(:\w+)?$")


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_modules(source: str, module: str, *, is_package: bool = False) -> list[tuple[int, str]]:
    """(line, absolute module) of every import in ``source`` and of every string naming a perfeval module."""
    tree = ast.parse(source)
    docstrings = {
        id(node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
    }
    package = module.split(".") if is_package else module.split(".")[:-1]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package[: len(package) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            # "from perfeval import filing" imports the app filing.
            found += [
                (node.lineno, f"{base}.{alias.name}" if base == "perfeval" else base) for alias in node.names
            ]
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
            if MODULE_PATH.match(node.value):
                found.append((node.lineno, node.value.partition(":")[0]))
    return found


def violations(source: str, module: str, *, is_package: bool = False) -> list[str]:
    """Every import of ``module`` that runs up or sideways between apps, or brings Django into the rules."""
    own = module.split(".")[1] if module.count(".") else ""
    bad = []
    for line, target in imported_modules(source, module, is_package=is_package):
        if own == "rules" and target.split(".")[0] == "django":
            bad.append(f"{module}:{line} imports {target}: the rules are pure Python")
        parts = target.split(".")
        if parts[0] != "perfeval" or len(parts) < 2 or parts[1] == own or own in PROJECT:
            continue
        other = parts[1]
        if other in PROJECT:
            bad.append(f"{module}:{line} imports the project module {target}")
        elif own in LAYERS and LAYERS.get(other, 99) >= LAYERS[own]:
            bad.append(f"{module}:{line} imports {target}: {own} may not import {other}")
    return bad


SOURCES = sorted(PACKAGE.rglob("*.py"))


def test_layers_know_every_app():
    apps = {path.parent.name for path in PACKAGE.glob("*/apps.py")}
    assert apps <= set(LAYERS), f"place the new app in LAYERS: {apps - set(LAYERS)}"


def test_apps_import_downward_only_and_rules_have_no_django():
    found = []
    for path in SOURCES:
        found += violations(
            path.read_text(encoding="utf-8"), module_name(path), is_package=path.name == "__init__.py"
        )
    assert found == []


@pytest.mark.parametrize(
    ("module", "source", "expected"),
    [
        ("perfeval.workflow.services", "def f():\n    from perfeval.publishing import services\n", 1),
        ("perfeval.filing.views", "from perfeval.workflow.services import record_reviewer_view\n", 1),
        ("perfeval.filing.admin", "from perfeval import workflow\n", 1),
        ("perfeval.excel.views", "from perfeval.editing import forms\n", 1),  # sideways
        ("perfeval.filing.x", 'WRITERS = {"pdf": "perfeval.publishing.exports:write_pdf"}\n', 1),
        ("perfeval.rules.checks", "from django.db import models\n", 1),
        ("perfeval.rules.checks", "from . import catalogue\nfrom .data import Report\n", 0),
        ("perfeval.rules.checks", "from ..filing import models\n", 1),
        ("perfeval.publishing.services", "from perfeval.workflow.services import publish_report\n", 0),
        ("perfeval.filing.x", '"""Registered by perfeval.publishing.apps."""\n', 0),
    ],
)
def test_layer_check_finds_upward_imports(module, source, expected):
    assert len(violations(source, module)) == expected
