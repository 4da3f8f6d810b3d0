"""The quality review at load time: score the conversations a load touched, rescore on demand.

``store`` writes the scorer's verdicts into the warehouse (``qa_verdicts``, ``qa_scores``);
``rescore`` is ``python -m etl rescore --what qa``; ``labelled`` and ``evaluate`` measure
the scorer on the hand-labelled set of ``tests/fixtures/qa`` (``python -m etl qa-figures``).
The scorer itself is ``metrics.quality.scoring``: a pure function of frames.
"""
