"""Conversation quality review (issue 16): the rubric's automatic scorer and its figures.

- ``scoring``: the automatic judges (phrase patterns per language over message texts,
  timestamps for responsiveness), a pure function of frames that the loader runs at load
  time; it lives here, beside the figures that read its verdicts, because ``metrics/`` may
  never import ``etl/`` while ``etl/`` may import ``metrics/``.
- the figure modules: automatic and human quality scores, their agreement, calibration,
  failures with evidence, the export.
"""
