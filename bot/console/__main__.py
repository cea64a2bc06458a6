"""python -m bot.console: serve the staff console, or manage its accounts.

python -m bot.console                      # serve on :8000 (WAYFINDER_CONSOLE_PORT)
python -m bot.console add-user sam --role advocate --name "Sam"
python -m bot.console list-users
python -m bot.console disable-user sam
"""

from __future__ import annotations

import argparse
import getpass
import sys

from bot.console.accounts import ROLES, AccountError, Accounts
from bot.run import Ports, http_url


def _serve(args: argparse.Namespace) -> int:
    from bot.console.app import ConsoleSettings, create_app
    from bot.rasa_auth import rasa_jwt_secret

    ports = Ports()
    rasa_url = args.rasa_url or http_url(ports.local, ports.rasa)
    # The console signs its own short-lived JWTs for Rasa's HTTP API with this secret.
    settings = ConsoleSettings.from_environment(rasa_url, rasa_jwt_secret())
    app = create_app(settings)
    # After Sanic set up its loggers: transcripts and conversation ids pass through the console too.
    from bot.logs import install_log_scrubbing

    install_log_scrubbing()
    app.run(host=args.host, port=args.port, access_log=False, motd=False)
    return 0


def _add_user(args: argparse.Namespace) -> int:
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = getpass.getpass(f"Password for {args.username}: ")
        if getpass.getpass("Again: ") != password:
            print("The passwords differ; nothing was saved.", file=sys.stderr)
            return 1
    accounts = Accounts.open()
    try:
        user = accounts.add_user(args.username, password, args.role, args.name)
    except AccountError as problem:
        print(f"Not added: {problem}.", file=sys.stderr)
        return 1
    from bot.handoff.audit import AuditLog

    AuditLog.open().record("cli", "user_added", {"username": user.username, "role": user.role})
    print(f"Added {user.username} ({user.role}).")
    return 0


def _list_users(args: argparse.Namespace) -> int:
    for user in Accounts.open().users():
        state = "" if user["active"] else "  (disabled)"
        print(f"{user['username']:<20} {user['role']:<11} {user['display_name']}{state}")
    return 0


def _disable_user(args: argparse.Namespace) -> int:
    try:
        Accounts.open().set_active(args.username, False)
    except AccountError as problem:
        print(f"{problem}.", file=sys.stderr)
        return 1
    from bot.handoff.audit import AuditLog

    AuditLog.open().record("cli", "user_disabled", {"username": args.username})
    print(f"Disabled {args.username}; their sessions ended.")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.console", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command")
    serve = commands.add_parser("serve", help="serve the console (the default)")
    defaults = Ports()
    for target in (parser, serve):
        target.add_argument("--host", default=defaults.host)
        target.add_argument("--port", type=int, default=defaults.console)
        target.add_argument("--rasa-url", help="the Rasa server (default WAYFINDER_HOST:WAYFINDER_RASA_PORT)")
    add = commands.add_parser("add-user", help="create a console account")
    add.add_argument("username")
    add.add_argument("--role", choices=ROLES, default="advocate")
    add.add_argument("--name", help="the name callers see, e.g. Sam")
    add.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    commands.add_parser("list-users", help="list console accounts")
    disable = commands.add_parser("disable-user", help="disable an account and end its sessions")
    disable.add_argument("username")
    args = parser.parse_args(argv)
    handlers = {"add-user": _add_user, "list-users": _list_users, "disable-user": _disable_user}
    return handlers.get(args.command, _serve)(args)


if __name__ == "__main__":
    raise SystemExit(main())
