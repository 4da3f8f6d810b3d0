"""The ETL's side of the derived facts: which settings they are built for, and a refresh.

Every write brings the facts up to date itself (``metrics.facts.refresh_facts``, called by
``etl.pipeline.load_files``, ``etl.redact.scrub`` ...); ``python -m etl facts`` rebuilds them
after the settings changed, so the dashboard need not build them on first use.
"""

from __future__ import annotations

from pathlib import Path

from etl.errors import UnusableInput
from metrics.core.settings import Settings, SettingsError, load_settings
from metrics.facts import UpkeepReport, refresh_facts
from warehouse import changes
from warehouse.writer import open_for_write


def fact_settings(path: str | Path | None = None) -> Settings:
    """The settings facts are built for: ``path``, else those the dashboard reads
    (``SUPPORT_SETTINGS``, else ./settings.toml, else the defaults); UnusableInput if broken."""
    from dashboard.config import ConfigError, settings_file  # the dashboard's own rule

    try:
        return load_settings(path if path is not None else settings_file())
    except (ConfigError, SettingsError) as err:
        raise UnusableInput(f"settings: {err}") from None


def refresh_warehouse_facts(
    db: Path | str, settings: Settings, *, full: bool = False, compact: bool = True
) -> UpkeepReport:
    """Bring the derived facts of ``db`` up to date for ``settings`` (e.g. after the settings
    changed): facts already current for them stay; ``full`` rebuilds every one, and then
    (unless ``compact`` is False: a benchmark timing the build alone) rewrites the file
    without the old facts' blocks."""
    if not Path(db).is_file():
        raise UnusableInput(f"{db}: no warehouse here")
    with open_for_write(Path(db), compact=full and compact) as con:
        changes.begin(con)  # nothing changed in the data: only what the settings change
        return refresh_facts(con, settings, full=full)
