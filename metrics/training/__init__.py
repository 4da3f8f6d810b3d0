"""Training impact: did a course change trained agents' figures, against the untrained?"""
