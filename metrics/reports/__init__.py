"""Reports over the families: headline KPIs, contact export, transcripts, data health, CLI."""
