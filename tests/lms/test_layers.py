"""Apps depend downward only: certificates → assessments → courses → people; lms composes them."""

import ast
from pathlib import Path

import pytest

from django.conf import settings

LAYERS = ["people", "courses", "assessments", "certificates"]  # each may import those before it
# Known and left as it is: the roster import in people writes courses' enrollments (DESIGN puts
# the roster resources in people). Nothing else may reach upward.
ALLOWED = {("people", "courses")}


def imported_apps(path: Path) -> set[str]:
    """The top-level packages a module imports, at module level or inside functions."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("app", LAYERS)
def test_an_app_imports_no_app_above_it(app):
    above = set(LAYERS[LAYERS.index(app) + 1 :]) | {"lms"}
    offending = {
        (str(path.relative_to(settings.BASE_DIR)), upper)
        for path in (Path(settings.BASE_DIR) / app).rglob("*.py")
        for upper in imported_apps(path) & above
        if (app, upper) not in ALLOWED
    }
    assert offending == set()


def test_the_check_sees_an_upward_import(tmp_path):
    module = tmp_path / "selectors.py"
    module.write_text("def f():\n    from assessments.models import QuizPage\n", encoding="utf-8")
    assert imported_apps(module) == {"assessments"}
