"""The planted effects of the demo data, with their exact sizes, in one place.

sample_data/README.md lists the same numbers in its effects table, and
tests/sample_data/test_effects.py checks that the generated rows show them.
Change a number here and in the README together.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

# The data period: [start, end). The end is the export's "now", fixed for determinism.
PERIOD_START = datetime(2026, 5, 1, tzinfo=UTC)
PERIOD_END = datetime(2026, 11, 1, tzinfo=UTC)

# (a) Training: half of the agents of two teams take the course on one date.
TRAINING_COURSE = "De-escalation & security"
TRAINING_DATE = date(2026, 7, 6)
TRAINING_TEAMS = ("en", "es")
TRAINED_SHARE = 0.5
TRAINED_FRT_MULTIPLIER = 0.75  # first response time -25% for tickets created after completion
TRAINED_CSAT_POINTS = 0.4  # mean survey score +0.4 for tickets created after completion
PLACEBO_COURSE = "Wallet 6.0 product update"
PLACEBO_DATE = date(2026, 8, 10)
PLACEBO_TEAMS = ("zh",)

# (b) Market crash: three UTC days at 4x the normal contact volume.
CRASH_START = datetime(2026, 9, 14, tzinfo=UTC)
CRASH_DAYS = 3
CRASH_VOLUME_MULTIPLIER = 4.0
CRASH_CATEGORY_MIX = {
    "transfer_stuck": 0.45,
    "security": 0.35,
    "swap_failed": 0.08,
    "gas_fees": 0.07,
    "app_crash": 0.05,
}
CRASH_FRT_RAMP = (1.5, 4.0)  # FRT multiplier rises linearly from the first to the last hour

# (c) Night gap: one zh agent on shift 00:00-06:00 Asia/Shanghai.
NIGHT_TEAM = "zh"
NIGHT_HOURS = (0, 6)
NIGHT_FRT_MULTIPLIER = 5.0

# (d) Retention: a bad contact (not resolved first time, or rated 1-2) makes the
# customer lapse (no product activity for at least 30 days) more often.
LAPSE_SHARE_GOOD = 0.08
LAPSE_SHARE_BAD = 0.28  # 20 percentage points more
RETENTION_WINDOW_DAYS = 30
LAPSE_EXTRA_DAYS_MEAN = (
    45.0  # a lapse lasts 30 days plus an exponential tail (or to the next contact)
)

# (e) No Russian-speaking agent on shift at weekends (Europe/Moscow).
NO_WEEKEND_TEAM = "ru"

# (f) One agent reopens 3x the team median; one agent replies fastest but scores lowest.
REOPEN_SHARE = 0.05  # of solved tickets, per agent, exactly
REOPEN_AGENT_TEAM = "fr"
REOPEN_AGENT_MULTIPLIER = 3.0
FAST_AGENT_TEAM = "zh"
FAST_AGENT_FRT_MULTIPLIER = 0.5  # on first response and on every later reply

# (g) Chatbot: resolves 30% of in-app chats alone; 10% of those customers come back.
BOT_RESOLVED_SHARE = 0.30
BOT_FALSE_RESOLUTION_SHARE = 0.10
FCR_WINDOW_DAYS = 7

# (h) Security tickets: every one is escalated; 20% later than the 1-hour target.
SECURITY_TARGET_MINUTES = 60
SECURITY_LATE_SHARE = 0.20

# Survey score distributions (probabilities of 1..5).
SCORES_GOOD = (0.06, 0.05, 0.12, 0.30, 0.47)  # mean 4.07
SCORES_FAILED = (0.22, 0.18, 0.20, 0.22, 0.18)  # not resolved first time: mean 2.96
SCORES_FAST_AGENT = (0.24, 0.20, 0.20, 0.20, 0.16)  # the fast agent: mean 2.84

# Data health: share of each export's rows planted malformed (quarantined by the loader).
MALFORMED_SHARE = 0.002

# (i) Quality review (issue 16): replies that skip the greeting or the closing, an agent whose
# acknowledgement improves after a course, and agents asking customers for their seed phrase.
GREETING_SKIPPER_TEAMS = ("es", "ru")  # one agent each: every first reply without a greeting
CLOSING_SKIPPER_TEAMS = ("en", "zh")  # one agent each: every last reply without a closing
EMPATHY_COURSE = "Empathy in writing"
EMPATHY_DATE = date(2026, 8, 24)
EMPATHY_TEAM = "fr"  # one agent: no thanks, apology or sympathy before, a warm first reply after
SEED_ASKS_PER_SCALE = 8  # conversations where an agent asks for the seed phrase
# People's reviews of a sample of tickets (a Zendesk QA export): each rating follows the planted
# truth above except for a share of slips; one reviewer passes every closing (calibration).
QA_REVIEWED_PER_SCALE = 1200  # tickets reviewed (plus every seed-phrase ticket)
QA_SECOND_REVIEW_SHARE = 0.25  # of them reviewed by a second reviewer
QA_REVIEWER_SLIP = 0.03  # share of greeting/empathy/closing ratings a reviewer gets wrong
QA_REVIEWERS = ("mei.qa@wallet.example", "tomas.qa@wallet.example", "ines.qa@wallet.example")
QA_LENIENT_REVIEWER = "ines.qa@wallet.example"  # rates every closing as met

# (k) Negative feedback after a release: for a few days, a share of one language's customers
# complain about the new app version (sample_data/surge.py), so the negative-share alert fires.
RELEASE_DATE = date(2026, 10, 1)  # a Thursday: its weekday baseline holds no crash day
SURGE_DAYS = 3  # tickets created on the release day and the two days after (UTC)
SURGE_LANGUAGE = "es"
SURGE_SHARE = 0.6  # of those tickets' customer replies, each one independently, complain
