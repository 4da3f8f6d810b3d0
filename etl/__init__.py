"""ETL: read support exports, map, validate, redact, enrich and load them into the warehouse."""
