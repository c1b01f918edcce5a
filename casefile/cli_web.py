"""Commands of the web application: createuser, serve."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from datetime import timedelta
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console

from core.errors import ExitCode

console = Console(stderr=True)
Workspace = Annotated[Optional[Path], typer.Option(help="database and stored originals (default .casefile)")]


def register(app: typer.Typer) -> None:
    app.command()(createuser)
    app.command()(token)
    app.command()(serve)


def createuser(
    name: Annotated[str, typer.Argument(help="login name")],
    role: Annotated[str, typer.Option(help="clerk (经办人), reviewer (复核人) or admin (管理员)")],
    password: Annotated[str, typer.Option(prompt=True, hide_input=True, confirmation_prompt=True, help="asked for when not given")],
    workspace: Workspace = None,
) -> None:
    """Create an account for the web application."""
    from config.bootstrap import setup

    setup(workspace)
    from django.contrib.auth.models import User
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    from web.roles import ROLE_ZH, create_user

    try:
        validate_password(password, User(username=name))  # AUTH_PASSWORD_VALIDATORS: length, common, numeric, like the name
        create_user(name, role, password)
    except (ValueError, ValidationError) as exc:
        console.print(f"[red]未创建[/]：{'；'.join(getattr(exc, 'messages', [str(exc)]))}")
        raise typer.Exit(ExitCode.USER_ERROR)
    console.print(f"已创建账号 {name}（{ROLE_ZH[role]}）")


def token(
    name: Annotated[str, typer.Argument(help="the account the token acts for")],
    label: Annotated[str, typer.Option(help="what the token is for, e.g. the other system's name")] = "",
    workspace: Workspace = None,
) -> None:
    """Issue a REST API token (shown once; only its hash is kept) for an existing account."""
    from config.bootstrap import setup

    setup(workspace)
    from django.contrib.auth.models import User

    from web.models import issue_token

    user = User.objects.filter(username=name, is_active=True).first()
    if user is None:
        console.print(f"[red]没有账号 {name}[/]")
        raise typer.Exit(ExitCode.USER_ERROR)
    sys.stdout.write(issue_token(user, label or "cli") + "\n")
    console.print("请妥善保存：令牌只显示这一次。调用时加请求头 Authorization: Bearer <令牌>")


def serve(
    host: Annotated[str, typer.Option(help="address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="port")] = 8000,
    web_workers: Annotated[int, typer.Option("--web-workers", help="gunicorn worker processes")] = 2,
    workers: Annotated[Optional[int], typer.Option(help="embedded mode: page processes (default: CPU cores)")] = None,
    workspace: Workspace = None,
) -> None:
    """Serve the web application with gunicorn. In the embedded mode this process also reads the
    uploaded pages (a local page pool); in the distributed mode the Celery workers do."""
    from config.bootstrap import setup

    cfg = setup(workspace)
    env = dict(os.environ, CASEFILE_WORKSPACE=str(cfg.workspace))
    allowed = set(cfg.allowed_hosts.split(",")) | {host}
    env["CASEFILE_ALLOWED_HOSTS"] = ",".join(sorted(h for h in allowed if h))
    web = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "casefile.wsgi:application", "--bind", f"{host}:{port}",
         "--workers", str(web_workers), "--threads", "4", "--timeout", "300", "--access-logfile", "-",
         # the path without its query string: a search for a name or ID number stays out of the log
         "--access-logformat", '%(h)s %(t)s "%(m)s %(U)s" %(s)s %(b)s %(L)ss',
         # no control socket in $HOME: two servers on one machine (tests, a rehearsal) would share it
         "--no-control-socket"],
        env=env,
    )
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    console.print(f"casefile 网页服务：http://{host}:{port}/（{'分布式' if cfg.distributed else '单机'}模式）")
    try:
        if cfg.distributed:
            while not stop.is_set() and web.poll() is None:
                stop.wait(1.0)
        else:
            from config.options import pipeline_options
            from workers.local import LocalDispatcher, run_page_loop

            os.environ["OMP_THREAD_LIMIT"] = "1"
            pool = LocalDispatcher(pipeline_options(cfg), workers or cfg.workers, cfg.max_attempts, settings=cfg)
            watcher = threading.Thread(target=lambda: (web.wait(), stop.set()), daemon=True)
            watcher.start()
            run_page_loop(pool, stop, cfg.sweep_every, timedelta(seconds=cfg.stale_after))
    finally:
        if web.poll() is None:
            web.terminate()
            web.wait(30)
