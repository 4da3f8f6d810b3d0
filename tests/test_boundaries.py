"""Import boundaries, read from the sources with `ast` (nothing is imported or run).

- metrics/ never imports streamlit and never reads the environment (settings are passed in);
  only its command line, metrics/__main__.py, may read SUPPORT_DB / SUPPORT_SETTINGS.
- pages/ hold no SQL: a page calls a metric function.
- only warehouse/ opens a DuckDB connection.
- no import cycle among our modules, nor among the metric family packages; no metric module
  imports the registry back (the registry imports them); metrics/ never imports etl/, and
  warehouse/, which both use, imports neither.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("etl", "metrics", "warehouse", "dashboard", "sample_data", "bench")
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


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_graph() -> dict[str, set[str]]:
    """Each of our modules -> our modules it imports anywhere in its code (functions too).

    The registry imports every module of metrics/ at run time (``importlib``, which ``ast``
    cannot see), so it gets an edge to each: a metric module importing it back is a cycle.
    """
    paths = {module_name(path): path for path in sources(*PACKAGES)}
    graph: dict[str, set[str]] = {}
    for name, path in paths.items():
        targets: set[str] = set()
        for node in ast.walk(tree(path)):
            if isinstance(node, ast.Import):
                targets |= {alias.name for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module:
                members = {f"{node.module}.{alias.name}" for alias in node.names}
                targets |= {m for m in members if m in paths} or {node.module}
        graph[name] = {target for target in targets if target in paths and target != name}
    graph["metrics.registry"] |= {
        name for name in paths if name.startswith("metrics.") and name != "metrics.__main__"
    } - {"metrics.registry"}
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str]:
    """One cycle as a path ``a -> b -> ... -> a``, or [] when the graph has none."""
    done: set[str] = set()

    def visit(path: list[str]) -> list[str]:
        for following in sorted(graph.get(path[-1], ())):
            if following in path:
                return path[path.index(following) :] + [following]
            if following not in done:
                if cycle := visit([*path, following]):
                    return cycle
        done.add(path[-1])
        return []

    for start in sorted(graph):
        if start not in done and (cycle := visit([start])):
            return cycle
    return []


def families(graph: dict[str, set[str]]) -> dict[str, set[str]]:
    """The metric family packages (metrics.core, metrics.voice ...) -> the others they import."""

    def family(name: str) -> str | None:
        parts = name.split(".")
        return ".".join(parts[:2]) if parts[0] == "metrics" and len(parts) > 2 else None

    edges: dict[str, set[str]] = {}
    for name, targets in graph.items():
        if source := family(name):
            edges.setdefault(source, set())
            edges[source] |= {f for t in targets if (f := family(t)) and f != source}
    return edges


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


def test_our_modules_import_each_other_without_a_cycle():
    cycle = find_cycle(import_graph())
    assert not cycle, f"import cycle {' -> '.join(cycle)}: move what both need below both"


def test_the_metric_families_build_on_each_other_without_a_cycle():
    edges = families(import_graph())
    assert {"metrics.core", "metrics.voice", "metrics.retention"} <= set(edges)
    assert not edges["metrics.core"], "metrics.core is the ground every family stands on"
    cycle = find_cycle(edges)
    assert not cycle, f"family cycle {' -> '.join(cycle)}"


def test_no_metric_module_imports_the_registry_back():
    found = [
        module_name(path)
        for path in sources("metrics")
        if module_name(path) not in {"metrics.registry", "metrics.__main__"}
        and any(m == "metrics.registry" for m in imported_modules(tree(path)))
    ]
    assert not found, f"{found} import metrics.registry: declare with metrics.core.metric"


def test_a_metric_module_importing_the_registry_would_be_seen_as_a_cycle():
    graph = import_graph()
    graph["metrics.voice.csat"].add("metrics.registry")
    cycle = find_cycle(graph)
    assert {"metrics.registry", "metrics.voice.csat"} <= set(cycle)


@pytest.mark.parametrize(
    ("folder", "forbidden"),
    [("metrics", ("etl",)), ("warehouse", ("etl", "metrics", "dashboard"))],
)
def test_reading_never_depends_on_loading(folder, forbidden):
    found = [
        f"{path.relative_to(ROOT)}: {module}"
        for path in sources(folder)
        for module in imported_modules(tree(path))
        if module.split(".")[0] in forbidden
    ]
    assert not found, f"{found}: shared definitions belong in warehouse/"


@pytest.mark.parametrize(
    ("graph", "cycle"),
    [
        ({"a": {"b"}, "b": {"c"}, "c": set()}, []),
        ({"a": {"b"}, "b": {"a"}}, ["a", "b", "a"]),
        ({"a": {"b", "c"}, "b": {"c"}, "c": {"d"}, "d": {"b"}}, ["b", "c", "d", "b"]),
        ({"a": {"b"}, "b": {"c"}, "c": {"x"}}, []),
    ],
)
def test_the_cycle_finder_finds_a_cycle_where_there_is_one(graph, cycle):
    assert find_cycle(graph) == cycle


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
