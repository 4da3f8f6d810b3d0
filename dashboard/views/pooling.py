"""What a per-slot figure pooled from sparse slots rests on, in words (the pools are
``metrics.core.pooling``): the waits to publish and the staffing gap say it alike."""

from __future__ import annotations

from metrics.core.pooling import DAY_PARTS


def pool_words(pool: str, hour: int, scope: str) -> str:
    """The contacts of ``pool`` for a slot at ``hour``, in words ("03:00 on every weekday");
    ``scope`` names what 'all hours' spans ("this channel and language")."""
    match pool:
        case "hour of week":
            return "this hour of the week"
        case "hour of day":
            return f"{hour:02d}:00 on every weekday"
        case "part of day":
            return f"{DAY_PARTS[hour // 6]} on every weekday"
    return f"every hour of {scope}"


def basis_words(
    pooled: str | None, hour: int, basis_n: int, min_n: int, widest: str, scope: str = ""
) -> str:
    """ "this hour of the week (n = 45)", "03:00 on every weekday (n = 34)", ... or, when no
    pool up to ``widest`` reaches ``min_n``: "not enough data (n = 12 < 30, even over
    00-06h on every weekday)"."""
    n = f"n = {basis_n:,}"
    if pooled is None:
        return f"not enough data ({n} < {min_n}, even over {pool_words(widest, hour, scope)})"
    return f"{pool_words(pooled, hour, scope)} ({n})"
