"""Try an action again after failures, waiting longer each time (exponential back-off)."""

from __future__ import annotations

import smtplib
import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


class DeliveryError(OSError):
    """A delivery that failed after every retry; the message is one line (exit code 1)."""

    delivery = True


class PermanentError(OSError):
    """A failure that trying again cannot fix (a wrong password, a refused address, HTTP 404)."""


def is_permanent(err: OSError) -> bool:
    """Whether ``err`` will recur on every try: ours marked so, or an SMTP 5xx answer (RFC 5321:
    permanent, e.g. 535 authentication failed, 550 mailbox unavailable)."""
    if isinstance(err, PermanentError | smtplib.SMTPNotSupportedError):
        return True
    return isinstance(err, smtplib.SMTPResponseException) and 500 <= err.smtp_code < 600


def with_retries(
    action: Callable[[], T],
    what: str,
    retries: int,
    backoff_seconds: float,
    sleep: Callable[[float], None] = time.sleep,
) -> T:
    """``action()``, tried ``1 + retries`` times, sleeping ``backoff_seconds`` x 1, 2, 4 ...
    between tries; DeliveryError names ``what`` and the last error when all fail. A permanent
    failure (is_permanent) is not tried again: it fails at once."""
    wait = backoff_seconds
    for attempt in range(retries + 1):
        try:
            return action()
        except OSError as err:  # sockets, SMTP and HTTP errors are all OSError
            detail = " ".join(str(err).split()) or type(err).__name__
            if is_permanent(err):
                raise DeliveryError(f"{what} failed (not retried): {detail}") from None
            if attempt == retries:
                raise DeliveryError(f"{what} failed after {retries + 1} tries: {detail}") from None
            sleep(wait)
            wait *= 2
    raise AssertionError("unreachable")
