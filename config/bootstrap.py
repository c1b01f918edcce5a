"""Start Django for the command line and the workers: these settings made the process's, the
configured plugins imported, the policy checked and the schema brought up to date."""
from __future__ import annotations

import importlib
import os
from pathlib import Path

from config.settings import Settings, get_settings, use_settings

MIGRATE_LOCK = 0x6361_7366  # PostgreSQL advisory lock: one process migrates at a time


def setup(workspace: Path | None = None, migrate: bool = True, **overrides) -> Settings:
    """This process's settings with the entry point's overrides (`--workspace`, `--engine` as
    `ocr_engine`; None is not given), made the process's before Django reads them, and returned
    for the entry point to pass down. Without overrides the process keeps the settings it has."""
    cfg = use_settings(get_settings().with_overrides(workspace=workspace, **overrides))
    # casefile/settings.py is the Django project's settings module: it reads get_settings()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "casefile.settings")
    import django

    django.setup()
    for module in filter(None, (m.strip() for m in cfg.plugins.split(","))):
        importlib.import_module(module)
    _check_policy(cfg)
    if migrate:
        _migrate()
    return cfg


def _migrate() -> None:
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor != "postgresql":
        call_command("migrate", verbosity=0, interactive=False)
        return
    # Several worker hosts may start at once against one database.
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [MIGRATE_LOCK])
        try:
            call_command("migrate", verbosity=0, interactive=False)
        finally:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [MIGRATE_LOCK])


def _check_policy(cfg: Settings) -> None:
    """A bureau's policy file with a mistake stops every command at start-up, with the reason,
    rather than the first case it would have changed."""
    from config.options import pipeline_options

    pipeline_options(cfg)  # PolicyError, a UserError: the command line prints it on one line (exit status 2)
