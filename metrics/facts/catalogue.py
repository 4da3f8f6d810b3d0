"""Every derived fact the pages read, in build order (each after the facts it reads)."""

from __future__ import annotations

from metrics.agents.tone import tone_contacts_fact, tone_fact
from metrics.core.contacts import contacts_fact
from metrics.core.facts import Fact
from metrics.core.inputs import ACTIVITY_CUSTOMERS, CONTACT_PEOPLE, INPUT_COUNTS
from metrics.core.settings import Settings
from metrics.coverage.presence import PRESENCE_SHIFTS, presence_messages_fact
from metrics.coverage.staffing import REPLY_GAPS
from metrics.operations.backlog import spells_fact
from metrics.quality.scope import quality_fact
from metrics.reports.data_health import SCORING_COUNTS
from metrics.response.conversation import contact_waits_fact, runs_fact
from metrics.response.status_time import STATUS_FACT
from metrics.retention.fact import retention_fact
from metrics.voice.followup_facts import customer_counts_fact, negative_texts_fact
from metrics.voice.sentiment import METHODS_FACT


def all_facts(settings: Settings) -> tuple[Fact, ...]:
    """The facts for ``settings``, each after every fact it reads (its inputs)."""
    roots = (
        retention_fact(settings),
        negative_texts_fact(settings),
        customer_counts_fact(settings),
        METHODS_FACT,
        REPLY_GAPS,
        PRESENCE_SHIFTS,
        presence_messages_fact(settings),
        runs_fact(settings),
        contact_waits_fact(settings),
        STATUS_FACT,
        spells_fact(settings),
        INPUT_COUNTS,
        CONTACT_PEOPLE,
        ACTIVITY_CUSTOMERS,
        tone_fact(settings),
        tone_contacts_fact(settings),
        SCORING_COUNTS,
        quality_fact(settings),
    )
    ordered: dict[str, Fact] = {}

    def visit(fact: Fact) -> None:
        for needed in (*fact.inputs, *fact.finish_inputs):
            visit(needed)
        ordered.setdefault(fact.name, fact)

    visit(contacts_fact(settings))
    for fact in roots:
        visit(fact)
    return tuple(ordered.values())
