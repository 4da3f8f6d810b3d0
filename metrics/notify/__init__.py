"""Delivery of digests and alerts: e-mail (SMTP with STARTTLS) and chat webhooks (JSON),
each retried with back-off; a delivery is recorded in the state file so it is not repeated."""
