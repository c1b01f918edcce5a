"""Start Django for the command line: point it at a workspace and bring the schema up to date."""
from __future__ import annotations

import os
from pathlib import Path


def setup(workspace: Path | None = None, migrate: bool = True) -> None:
    if workspace is not None:
        os.environ["CASEFILE_WORKSPACE"] = str(workspace)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "casefile.settings")
    from casefile.config import get_settings

    get_settings.cache_clear()
    import django

    django.setup()
    if migrate:
        from django.core.management import call_command

        call_command("migrate", verbosity=0, interactive=False)
