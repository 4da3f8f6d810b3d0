"""Import boundaries, read from the sources with `ast` (nothing is imported or run).

- metrics/ never imports streamlit and never reads the environment (settings are passed in);
  only its command line, metrics/__main__.py, may read SUPPORT_DB / SUPPORT_SETTINGS.
- pages/ hold no SQL: a page calls a metric function.
- only warehouse/ opens a DuckDB connection.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
ENVIRONMENT = {"environ", "environb", "getenv", "getenvb", "putenv", "unsetenv"}
# SELECT ... FROM as SQL, not as English ("Select an agent from the list"): upper-case
# keywords, or lower-case ones followed by a clause that only SQL has.
SQL = re.compile(
    r"\bSELECT\b.*\bFROM\b"
    r"|(?i:\bselect\s+\*\s+from\b)"
    r"|(?i:\bselect\b.+\bfrom\b.+\b(?:where|group\s+by|order\s+by|join|limit)\b)",
    re.DOTALL,
)


def sources(*parts: str) -> list[Path]:
    files: list[Path] = []
    for part in parts:
        path = ROOT / part
        files += sorted(path.rglob("*.py")) if path.is_dir() else [path] if path.exists() else []
    return [f for f in files if "__pycache__" not in f.parts]


def tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def imported_modules(module: ast.Module) -> Iterator[str]:
    for node in ast.walk(module):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            yield node.module


def module_aliases(module: ast.Module, name: str) -> set[str]:
    """Local names bound to module ``name`` (``import os``, ``import os as o``)."""
    return {
        alias.asname or alias.name
        for node in ast.walk(module)
        if isinstance(node, ast.Import)
        for alias in node.names
        if alias.name == name
    }


def names_from(module: ast.Module, name: str, members: set[str]) -> set[str]:
    """Local names bound by ``from name import member [as x]`` for the given members."""
    return {
        alias.asname or alias.name
        for node in ast.walk(module)
        if isinstance(node, ast.ImportFrom) and node.module == name
        for alias in node.names
        if alias.name in members
    }


def environment_reads(module: ast.Module) -> list[int]:
    """Lines that touch os.environ / os.getenv (however os or its members are imported)."""
    os_names = module_aliases(module, "os")
    direct = names_from(module, "os", ENVIRONMENT)
    lines = []
    for node in ast.walk(module):
        through_os = (
            isinstance(node, ast.Attribute)
            and node.attr in ENVIRONMENT
            and isinstance(node.value, ast.Name)
            and node.value.id in os_names
        )
        if through_os or (isinstance(node, ast.Name) and node.id in direct):
            lines.append(node.lineno)
    return lines


def duckdb_connects(module: ast.Module) -> list[int]:
    """Lines calling duckdb.connect (``import duckdb [as d]`` or ``from duckdb import connect``)."""
    modules = module_aliases(module, "duckdb")
    functions = names_from(module, "duckdb", {"connect"})
    lines = []
    for node in ast.walk(module):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if (
            isinstance(func, ast.Attribute)
            and func.attr == "connect"
            and isinstance(func.value, ast.Name)
            and func.value.id in modules
        ) or (isinstance(func, ast.Name) and func.id in functions):
            lines.append(node.lineno)
    return lines


def string_literals(module: ast.Module) -> Iterator[tuple[int, str]]:
    """Every string literal; an f-string as its text with ``{}`` for each placeholder."""
    for node in ast.walk(module):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            yield node.lineno, node.value
        elif isinstance(node, ast.JoinedStr):
            text = "".join(
                part.value if isinstance(part, ast.Constant) else "{}" for part in node.values
            )
            yield node.lineno, text


def where(path: Path, lines: list[int]) -> list[str]:
    return [f"{path.relative_to(ROOT)}:{line}" for line in lines]


def test_metrics_never_import_streamlit():
    found = [
        str(path.relative_to(ROOT))
        for path in sources("metrics")
        if any(m == "streamlit" or m.startswith("streamlit.") for m in imported_modules(tree(path)))
    ]
    assert not found, f"streamlit imported in {found}: metrics must stay UI-free"


def test_only_the_metrics_command_line_reads_the_environment():
    found = [
        hit
        for path in sources("metrics")
        if path.name != "__main__.py" or path.parent.name != "metrics"
        for hit in where(path, environment_reads(tree(path)))
    ]
    assert not found, f"environment read in {found}: pass settings in instead"


def test_pages_contain_no_sql():
    found = [
        f"{path.relative_to(ROOT)}:{line}"
        for path in sources("pages")
        for line, text in string_literals(tree(path))
        if SQL.search(text)
    ]
    assert not found, f"SQL in {found}: a page calls a metric function instead"


def test_only_the_warehouse_opens_duckdb_connections():
    parts = ("etl", "metrics", "dashboard", "pages", "sample_data", "app.py")
    found = [hit for path in sources(*parts) for hit in where(path, duckdb_connects(tree(path)))]
    assert not found, f"duckdb.connect in {found}: use warehouse.reader / warehouse.writer"


@pytest.mark.parametrize(
    ("source", "reads"),
    [
        ("import os\nos.environ['X']", True),
        ("import os as o\no.getenv('X')", True),
        ("from os import environ\nenviron.get('X')", True),
        ("from os import getenv as g\ng('X')", True),
        ("import os\nos.path.join('a')", False),
        ("environ = {}\nenviron.get('X')", False),
    ],
)
def test_the_environment_detector_sees_every_spelling(source, reads):
    assert bool(environment_reads(ast.parse(source))) is reads


@pytest.mark.parametrize(
    ("source", "connects"),
    [
        ("import duckdb\nduckdb.connect()", True),
        ("import duckdb as d\nd.connect(':memory:')", True),
        ("from duckdb import connect\nconnect()", True),
        ("import sqlite3\nsqlite3.connect('x')", False),
        ("import duckdb\nduckdb.Error", False),
    ],
)
def test_the_connect_detector_sees_every_spelling(source, connects):
    assert bool(duckdb_connects(ast.parse(source))) is connects


@pytest.mark.parametrize(
    ("source", "is_sql"),
    [
        ('q = "SELECT count(*) FROM tickets"', True),
        ('q = "select * from tickets"', True),
        ('q = "select agent_id from tickets where x = 1"', True),
        ('q = f"SELECT {cols} FROM {table} AS c"', True),
        ('q = ("SELECT a "\n     "FROM t")', True),
        ('label = "Select an agent from the list"', False),
        ('help = f"Choose the {team} to select from the sidebar"', False),
    ],
)
def test_the_sql_detector_tells_sql_from_english(source, is_sql):
    literals = string_literals(ast.parse(source))
    assert any(SQL.search(text) for _, text in literals) is is_sql
