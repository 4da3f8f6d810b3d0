"""Shipped mapping files (``NAME.toml``), found by name with ``--mapping NAME``."""
