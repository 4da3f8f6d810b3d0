"""The README and docs/ promise commands: every one they print exists and parses as printed.

(Running them end to end is the fresh-clone check of the release notes; this keeps the
text from drifting from the code between two such checks.)
"""

from __future__ import annotations

import argparse
import re
import shlex
from pathlib import Path

import pytest

import etl.__main__ as etl_main
import metrics.__main__ as metrics_main
from dashboard import cli

ROOT = Path(__file__).resolve().parents[1]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
FENCE = re.compile(r"```bash\n(.*?)```", re.DOTALL)


def commands(page: Path) -> list[list[str]]:
    """Every command line in the page's bash blocks, as words (comments dropped)."""
    found = []
    for block in FENCE.findall(page.read_text(encoding="utf-8")):
        for line in block.splitlines():
            words = shlex.split(line, comments=True)
            while words and re.fullmatch(r"[A-Z_]+=\S*", words[0]):
                words = words[1:]  # SUPPORT_DB=... before the command
            if words:
                found.append(words)
    return found


def make_targets() -> set[str]:
    text = (ROOT / "Makefile").read_text(encoding="utf-8")
    return set(re.findall(r"^([a-z][\w-]*):", text, flags=re.MULTILINE))


def parses(parser: argparse.ArgumentParser, argv: list[str]) -> None:
    """Parse ``argv`` as the command would (a usage error raises SystemExit)."""
    parser.parse_args(argv)


EVERY = [(page.name, words) for page in PAGES for words in commands(page)]


def test_the_readme_opens_with_the_two_set_up_commands():
    first = FENCE.search((ROOT / "README.md").read_text(encoding="utf-8"))
    assert first is not None
    lines = [line.split("#")[0].strip() for line in first.group(1).splitlines()]
    assert lines == ["make run", "make test"]


def test_the_readme_says_how_to_reach_the_commands_before_its_first_one():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert text.index("source .venv/bin/activate") < text.index("support-dashboard load")


@pytest.mark.parametrize(("page", "words"), EVERY, ids=[" ".join(w)[:60] for _, w in EVERY])
def test_every_printed_command_exists_and_parses(page, words):
    program, *argv = words
    if program == "make":
        assert set(argv) <= make_targets(), f"{page}: no make target {argv}"
    elif program == "source":
        assert argv == [".venv/bin/activate"]
    elif program == "support-dashboard":
        command = argv[0]
        if command in ("run", "settings"):
            return  # run takes Streamlit's options; settings is tested in test_console_command
        tool = cli._tools()
        owner = (
            command if command in tool else next(t for t, (_, n) in tool.items() if command in n)
        )
        rest = argv[1:] if command in tool else argv
        parser = etl_main._parser() if owner == "etl" else metrics_main._parser()
        parses(parser, rest)
    elif program == "python" and argv[:2] == ["-m", "etl"]:
        parses(etl_main._parser(), argv[2:])
    elif program == "python" and argv[:2] == ["-m", "metrics"]:
        parses(metrics_main._parser(), argv[2:])
    else:
        pytest.fail(f"{page}: a command the docs should not need: {' '.join(words)}")


def test_every_repository_file_a_command_names_is_there():
    named = {
        word
        for _, words in EVERY
        for word in words
        if re.fullmatch(r"(tests|etl|sample_data|docs|bench)/[\w./-]+", word)
    }
    assert named, "the README's example loads a file shipped in the repository"
    assert [word for word in sorted(named) if not (ROOT / word).exists()] == []
