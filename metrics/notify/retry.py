"""Try an action again after failures, waiting longer each time (exponential back-off)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


class DeliveryError(OSError):
    """A delivery that failed after every retry; the message is one line (exit code 1)."""

    delivery = True


def with_retries(
    action: Callable[[], T],
    what: str,
    retries: int,
    backoff_seconds: float,
    sleep: Callable[[float], None] = time.sleep,
) -> T:
    """``action()``, tried ``1 + retries`` times, sleeping ``backoff_seconds`` x 1, 2, 4 ...
    between tries; DeliveryError names ``what`` and the last error when all fail."""
    wait = backoff_seconds
    for attempt in range(retries + 1):
        try:
            return action()
        except OSError as err:  # sockets, SMTP and HTTP errors are all OSError
            if attempt == retries:
                detail = " ".join(str(err).split()) or type(err).__name__
                raise DeliveryError(f"{what} failed after {retries + 1} tries: {detail}") from None
            sleep(wait)
            wait *= 2
    raise AssertionError("unreachable")
