"""Errors that mean "this input cannot be used at all" (exit 2, one line, no traceback)."""

from __future__ import annotations


class UnusableInput(Exception):
    """The input cannot be loaded at all; ``str(err)`` is the one line shown to the user.

    The message names the file, and where it applies the row and column, and
    what was expected, e.g. ``tickets.csv: column "created_at" is missing (the
    mapping names "Created"); expected one of: id, Created at, Status``.
    """


def safe_name(name: object, width: int = 40) -> str:
    """A name from an export (e.g. a header) fit for a message: secrets redacted, cut to ``width``.

    A headerless export's first row becomes its header, so a header may hold a pasted
    seed phrase or key; error lines must never repeat it.
    """
    from etl.redact import redact_text

    text, _ = redact_text(str(name))
    return text if len(text) <= width else text[: width - 1] + "…"
