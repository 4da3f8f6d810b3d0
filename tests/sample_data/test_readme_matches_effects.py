"""sample_data/README.md states every planted size exactly as sample_data/effects.py sets it."""

from __future__ import annotations

from pathlib import Path

import sample_data
from sample_data import effects as fx

README = (Path(sample_data.__file__).parent / "README.md").read_text(encoding="utf-8")


def _pct(share: float) -> str:
    return f"{round(share * 100)}%"


def test_the_readme_effects_table_quotes_every_planted_size() -> None:
    low, high = fx.CRASH_FRT_RAMP
    expected = [
        fx.TRAINING_COURSE,
        str(fx.TRAINING_DATE),
        f"FRT x{fx.TRAINED_FRT_MULTIPLIER}",
        f"mean CSAT +{fx.TRAINED_CSAT_POINTS}",
        fx.PLACEBO_COURSE,
        str(fx.PLACEBO_DATE),
        f"{fx.CRASH_START.date()}..{fx.CRASH_START.day + fx.CRASH_DAYS - 1}",
        f"contacts x{fx.CRASH_VOLUME_MULTIPLIER}",
        f"{low}x -> {high}x",
        f"FRT x{fx.NIGHT_FRT_MULTIPLIER}",
        "00:00-06:00 Asia/Shanghai",
        f"exactly {_pct(fx.LAPSE_SHARE_BAD)} of them, other contacts {_pct(fx.LAPSE_SHARE_GOOD)}",
        f"exactly {_pct(fx.REOPEN_SHARE * fx.REOPEN_AGENT_MULTIPLIER)} of its solved tickets",
        f"every other agent exactly {_pct(fx.REOPEN_SHARE)}",
        f"FRT and every reply x{fx.FAST_AGENT_FRT_MULTIPLIER}",
        f"exactly {_pct(fx.BOT_RESOLVED_SHARE)} of chats",
        f"exactly {_pct(fx.BOT_FALSE_RESOLUTION_SHARE)} of those customers",
        f"exactly {_pct(fx.SECURITY_LATE_SHARE)} after the 1-hour target",
        f"{fx.PERIOD_START.date()} 00:00 UTC",
    ]
    missing = [text for text in expected if text not in README]
    assert missing == []


def test_the_readme_lists_the_fast_agents_score_distribution() -> None:
    shares = ", ".join(str(round(p * 100)) for p in fx.SCORES_FAST_AGENT)
    assert f"({shares})%" in README


def test_the_readme_names_the_quality_review_effects() -> None:
    expected = [
        fx.EMPATHY_COURSE,
        str(fx.EMPATHY_DATE),
        f"{fx.SEED_ASKS_PER_SCALE} tickets per unit of scale",
        f"{fx.QA_REVIEWED_PER_SCALE:,} tickets per unit of scale",
        f"{_pct(fx.QA_SECOND_REVIEW_SHARE)} reviewed twice",
        f"{_pct(fx.QA_REVIEWER_SLIP)} slips",
        f"reviewer {fx.QA_LENIENT_REVIEWER} passes every closing",
    ]
    missing = [text for text in expected if text not in README]
    assert missing == []


def test_the_readme_names_the_negative_feedback_surge() -> None:
    last = fx.RELEASE_DATE.day + fx.SURGE_DAYS - 1
    expected = [
        f"{fx.SURGE_LANGUAGE} tickets created {fx.RELEASE_DATE}..{last:02d}",
        f"{_pct(fx.SURGE_SHARE)} of their customer replies",
    ]
    missing = [text for text in expected if text not in README]
    assert missing == []
