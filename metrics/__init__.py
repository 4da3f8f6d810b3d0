"""Metrics: named, documented functions over the warehouse that return Polars frames.

Each function takes an open read-only warehouse (``warehouse.reader.ReadOnlyWarehouse``)
and its inputs as arguments; none of them reads the environment or imports Streamlit,
so every figure a page shows can be reproduced from the command line.

One package per family; families build on ``core`` and on each other without a cycle
(tests/test_boundaries.py checks it):

- ``core``: settings, filters, breakdowns, business time, the contact fact, metric declaration
- ``response``: first response, resolution, status time, conversation waits
- ``voice``: CSAT, sentiment, topics of negative feedback, follow-up
- ``retention``: customer retention after a contact
- ``coverage``: shifts, presence, coverage gaps, Erlang C staffing
- ``operations``: volume, peaks, forecast, chatbot, security, chat queue, wait estimates
- ``training``: training impact (difference in differences)
- ``agents``: agent scorecard, coaching examples
- ``reports``: headline summary, contact export, transcripts, data health, CLI output

``metrics.registry`` lists every metric; ``python -m metrics`` is the command line.
"""
