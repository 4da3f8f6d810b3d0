"""Coverage and staffing: who is on shift when, the gaps, and the agents each hour needs."""
