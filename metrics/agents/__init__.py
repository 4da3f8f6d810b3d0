"""Agents: one agent's scorecard against the team, and conversations to coach from."""
