"""The `phoihop` command: a thin wrapper over Django's management commands.

phoihop demo [--host H] [--port P] [--no-serve]   set up and serve the demo province (development)
phoihop serve [--bind ADDRESS] [--workers N]      production server (gunicorn, DEBUG off)
phoihop worker [db_worker options]                background task worker
phoihop audit verify                              check the audit hash chain
phoihop report --area CODE --period KEY [...]     the coordination report (manage.py report)
phoihop province init CODE [--forces CA,QS,BP]    a province's forces' commands (manage.py province)
phoihop synth --provinces N --years Y --records R synthetic records for benchmarks (development)
phoihop manage <command> [options]                any Django management command
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

# The same .env file that config/settings.py reads, so that `serve` sees the same SECRET_KEY.
ENV_FILE = Path(__file__).resolve().parent.parent / ".env"
DEFAULT_SETTINGS = "config.settings"
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}


def _manage(args: Sequence[str]) -> int:
    """Run one management command as manage.py would and return its exit status."""
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(["phoihop manage", *args])
    except SystemExit as exc:
        code = exc.code
        if code is None:
            return 0
        if isinstance(code, int):
            return code
        print(code, file=sys.stderr)
        return 1
    return 0


def _setup_django() -> None:
    import django

    django.setup()


def _url(host: str, port: int) -> str:
    shown = "127.0.0.1" if host in {"0.0.0.0", "::"} else host
    if ":" in shown:
        shown = f"[{shown}]"
    return f"http://{shown}:{port}/"


def _compile_translations() -> None:
    """The English catalogue is shipped as .po; compile it where the package is installed."""
    from phoihop.devtools.compilemessages import compile_all

    for problem in compile_all():
        print(problem, file=sys.stderr)


def _refuse_outside_development(command: str, mode: str) -> int | None:
    """`demo` and `synth` write made-up records: never into a production installation, where
    their apps are not installed either (config/development.py). None when the command may run.
    """
    from config.development import DEVELOPMENT_MODES, development_tools_present

    if mode in DEVELOPMENT_MODES and development_tools_present():
        return None
    if mode in DEVELOPMENT_MODES:
        print(
            f"phoihop {command}: là lệnh dành cho phát triển, nhưng bộ công cụ phát triển "
            "(gói phoihop_dev) chưa được cài đặt: chạy `make demo` hoặc "
            '`pip install -e ".[dev]"`.\n'
            f"phoihop {command}: a development command, and the development tools (package "
            'phoihop_dev) are not installed: run `make demo` or `pip install -e ".[dev]"`.',
            file=sys.stderr,
        )
    else:
        print(
            f"phoihop {command}: là lệnh dành cho phát triển, không dùng trong môi trường "
            f"production (PHOIHOP_MODE={mode}); chỉ chạy khi PHOIHOP_MODE là demo hoặc test, "
            "trên cơ sở dữ liệu thử.\n"
            f"phoihop {command}: a development command, not for production "
            f"(PHOIHOP_MODE={mode}); it runs only when PHOIHOP_MODE is demo or test, on a "
            "scratch database.",
            file=sys.stderr,
        )
    return 2


def cmd_demo(options: argparse.Namespace) -> int:
    # The demo sets its own mode, but never over an installation that says it is production.
    refused = _refuse_outside_development("demo", os.environ.get("PHOIHOP_MODE", "demo"))
    if refused is not None:
        return refused
    os.environ["PHOIHOP_MODE"] = "demo"
    # The demo province's records are in 2023–2024: its dashboard opens on their quarter.
    os.environ.setdefault("PHOIHOP_DASHBOARD_PERIOD", "2024-Q3")
    host: str = options.host
    if "ALLOWED_HOSTS" not in os.environ and host not in LOCAL_HOSTS:
        # A demo opened to the local network answers to whatever name it is reached by.
        os.environ["ALLOWED_HOSTS"] = "*" if host in {"0.0.0.0", "::"} else f"127.0.0.1,{host}"
    _setup_django()

    from django.core.management import call_command

    from phoihop.org.models import Unit

    _compile_translations()
    print("PhốiHợp demo: cập nhật cơ sở dữ liệu (migrate)…", flush=True)
    call_command("migrate", interactive=False, verbosity=0)
    if Unit.objects.exists():
        call_command("load_demo", "--print-logins")
    else:
        print("PhốiHợp demo: nạp địa giới hành chính (load_areas)…", flush=True)
        call_command("load_areas")
        print("PhốiHợp demo: nạp kịch bản tỉnh mẫu (load_demo)…", flush=True)
        call_command("load_demo")

    url = _url(host, options.port)
    if options.no_serve:
        print(f"PhốiHợp demo sẵn sàng. Chạy `phoihop demo` để mở tại {url}", flush=True)
        return 0
    print(f"\nPhốiHợp demo: {url}  (Ctrl+C để dừng / to stop)", flush=True)
    print("Bản trình diễn: không dùng cho vận hành thật (dùng `phoihop serve`).\n", flush=True)
    # Our own line above says it: runserver's English warning would only add noise.
    os.environ.setdefault("DJANGO_RUNSERVER_HIDE_WARNING", "true")
    address = f"[{host}]:{options.port}" if ":" in host else f"{host}:{options.port}"
    # Background tasks (case imports, e-mail, reminders) need the worker beside the server, as
    # `phoihop worker` runs beside `phoihop serve` in production.
    import subprocess

    worker = subprocess.Popen(
        [sys.executable, "-m", "phoihop.cli", "worker", "--interval", "1"],
        env={**os.environ, "PHOIHOP_MODE": "demo"},
    )
    try:
        call_command("runserver", address, use_reloader=False)
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=10)
        except subprocess.TimeoutExpired:
            worker.kill()
    return 0


def _read_env_file() -> None:
    """Read .env as config/settings.py does, so that the CLI's own options see it too."""
    if ENV_FILE.exists():
        import environ

        environ.Env.read_env(ENV_FILE, overwrite=False)


def cmd_serve(options: argparse.Namespace) -> int:
    # Checked before the settings are imported, so that the answer is a sentence, not a traceback.
    if not os.environ.get("SECRET_KEY", "").strip():
        print(
            "phoihop serve: thiếu SECRET_KEY — đặt biến môi trường SECRET_KEY (xem .env.example).\n"
            "phoihop serve: SECRET_KEY is not set — set it in the environment (see .env.example).",
            file=sys.stderr,
        )
        return 2
    os.environ["DJANGO_DEBUG"] = "false"
    os.environ.setdefault("PHOIHOP_MODE", "production")
    _setup_django()

    from django.core.management import call_command

    _compile_translations()
    call_command("collectstatic", interactive=False, verbosity=0)
    argv = [
        sys.executable,
        "-m",
        "gunicorn",
        "config.wsgi:application",
        "--bind",
        options.bind,
        "--workers",
        str(options.workers),
        "--access-logfile",
        "-",
    ]
    print(f"PhốiHợp: gunicorn {options.bind}", flush=True)
    sys.stdout.flush()
    os.execv(sys.executable, argv)
    return 0  # pragma: no cover - execv does not return


def cmd_audit(options: argparse.Namespace) -> int:
    return _manage(["audit_verify", *options.rest])


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="phoihop",
        description="PhốiHợp — hệ thống phối hợp và báo cáo của Công an, Quân sự, Biên phòng.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    demo = sub.add_parser("demo", help="set up the demo province and serve it (development)")
    demo.add_argument("--host", default="127.0.0.1")
    demo.add_argument("--port", type=int, default=8000)
    demo.add_argument(
        "--no-serve", action="store_true", help="set up the database, print the logins, stop"
    )
    demo.set_defaults(handler=cmd_demo)

    serve = sub.add_parser("serve", help="run production with gunicorn (needs SECRET_KEY)")
    serve.add_argument(
        "--bind", default=os.environ.get("PHOIHOP_BIND", "127.0.0.1:8000"), help="ADDRESS:PORT"
    )
    serve.add_argument("--workers", type=int, default=int(os.environ.get("PHOIHOP_WORKERS", "3")))
    serve.set_defaults(handler=cmd_serve)

    audit = sub.add_parser("audit", help="audit log tools")
    audit_sub = audit.add_subparsers(dest="audit_command", required=True, metavar="ACTION")
    verify = audit_sub.add_parser("verify", help="check the hash chain; non-zero if broken")
    verify.add_argument("rest", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)
    verify.set_defaults(handler=cmd_audit)

    # Listed for --help only: they pass their arguments untouched (see main).
    sub.add_parser("worker", help="run the background task worker (manage.py db_worker)")
    sub.add_parser("report", help="write the coordination report (manage.py report --help)")
    sub.add_parser(
        "province", help="bring a province on board: `province init CODE` (manage.py province)"
    )
    sub.add_parser(
        "synth", help="generate synthetic records for benchmarks (development; manage.py synth)"
    )
    sub.add_parser("manage", help="run any Django management command")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    _read_env_file()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", DEFAULT_SETTINGS)

    from django.core.exceptions import ImproperlyConfigured

    try:
        if args and args[0] == "manage":
            return _manage(args[1:])
        if args and args[0] == "worker":
            return _manage(["db_worker", *args[1:]])
        if args and args[0] == "synth":
            mode = os.environ.get("PHOIHOP_MODE", "production")
            refused = _refuse_outside_development("synth", mode)
            if refused is not None:
                return refused
        if args and args[0] in ("report", "synth", "province"):
            return _manage(args)
        options = _parser().parse_args(args)
        code: int = options.handler(options)
        return code
    except ImproperlyConfigured as exc:
        print(f"phoihop: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
