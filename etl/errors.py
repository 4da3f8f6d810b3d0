"""Errors that mean "this input cannot be used at all" (exit 2, one line, no traceback)."""

from __future__ import annotations


class UnusableInput(Exception):
    """The input cannot be loaded at all; ``str(err)`` is the one line shown to the user.

    The message names the file, and where it applies the row and column, and
    what was expected, e.g. ``tickets.csv: column "created_at" is missing (the
    mapping names "Created"); expected one of: id, Created at, Status``.
    """
