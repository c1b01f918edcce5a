"""Start Django for the command line and the workers: point it at a workspace, import the
configured plugins and bring the schema up to date."""
from __future__ import annotations

import importlib
import os
from pathlib import Path

MIGRATE_LOCK = 0x6361_7366  # PostgreSQL advisory lock: one process migrates at a time


def setup(workspace: Path | None = None, migrate: bool = True) -> None:
    if workspace is not None:
        os.environ["CASEFILE_WORKSPACE"] = str(workspace)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "casefile.settings")
    from casefile.config import get_settings

    get_settings.cache_clear()
    import django

    django.setup()
    for module in filter(None, (m.strip() for m in get_settings().plugins.split(","))):
        importlib.import_module(module)
    _check_policy()
    if migrate:
        _migrate()


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


def _check_policy() -> None:
    """A bureau's policy file with a mistake stops every command at start-up, with the reason,
    rather than the first case it would have changed."""
    from pipeline.options import from_settings

    from_settings()  # PolicyError, a UserError: the command line prints it on one line (exit status 2)
