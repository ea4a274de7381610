"""Commands run from a terminal, without a window: listing and restoring backups, and
setting up a team's server.

Restoring is done with the app closed, so it must not need the app's own windows; it asks for
the passphrase without echoing it, and changes nothing unless that passphrase opens the backup.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TextIO

from referral_app.storage import backup
from referral_app.storage.errors import StorageError


def list_backups(database: Path, out: TextIO = sys.stdout) -> int:
    backups = backup.list_backups(database)
    if not backups:
        print(f"No backups yet for {database}.", file=out)
        return 0
    print(f"Backups of {database}, newest first:", file=out)
    for path in backups:
        print(f"  {path}", file=out)
    return 0


def restore_backup(
    source: Path,
    database: Path,
    out: TextIO = sys.stdout,
    err: TextIO = sys.stderr,
    ask: Callable[[str], str] = getpass.getpass,
) -> int:
    passphrase = ask("Passphrase of the backup (the database passphrase when it was made): ")
    try:
        kept = backup.restore(source, database, passphrase)
    except StorageError as error:
        print(str(error), file=err)
        return 1
    print(f"Restored {source.name} to {database}.", file=out)
    if kept is not None:
        print(f"The database it replaced is kept, still encrypted, at {kept}.", file=out)
    return 0


def server(
    argv: Sequence[str],
    out: TextIO = sys.stdout,
    err: TextIO = sys.stderr,
    ask: Callable[[str], str] = getpass.getpass,
) -> int:
    """``referral-app server init|add-advocate``: set up a team's PostgreSQL server, or give
    an advocate their own role on it. Passwords are asked for without echo, never taken from
    the command line (where other users and the shell's history could read them)."""
    # Here, not at the top: the backup commands need no PostgreSQL driver.
    from referral_app.storage.server_setup import (
        add_advocate,
        admin_engine,
        check_role_name,
        init_server,
    )
    from referral_app.storage.team import TeamSettings

    args = _server_parser().parse_args(list(argv))
    settings = TeamSettings(args.host, args.port, args.dbname, args.ca, args.admin)
    try:
        if args.command == "add-advocate":
            check_role_name(args.name)
            password = ask(f"New password for {args.name}: ")
            if ask(f"The same password again for {args.name}: ") != password:
                print("The two passwords were not the same; nothing was changed.", file=err)
                return 1
        admin_password = ask(f"Password of the server's administrator role {args.admin}: ")
        engine = admin_engine(settings, admin_password)
        try:
            if args.command == "init":
                steps = init_server(engine)
            else:
                add_advocate(engine, args.name, password, manager=args.manager)
        finally:
            engine.dispose()
    except StorageError as error:
        print(str(error), file=err)
        return 1
    if args.command == "add-advocate":
        kind = "a manager" if args.manager else "an advocate"
        print(f"{args.name} can now sign in as {kind}.", file=out)
        print(
            "Give them, in person or by phone: their user name, the password, the server's "
            f"name ({args.host}), port ({args.port}), database ({args.dbname}) and the CA "
            "certificate file.",
            file=out,
        )
        return 0
    print(f"The database {args.dbname} on {args.host} is ready for the app.", file=out)
    print("Still to do on the server (the app cannot do these):", file=out)
    for number, step in enumerate(steps, 1):
        print(f"  {number}. {step}", file=out)
    return 0


def _server_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="referral-app server",
        description="Set up a team's PostgreSQL server for the app (see the README, Team server).",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    init = commands.add_parser(
        "init", help="make the roles, the schema and its policies (safe to run again)"
    )
    add = commands.add_parser("add-advocate", help="give an advocate their own role")
    add.add_argument("name", help="their user name: lower-case letters, digits and _")
    add.add_argument(
        "--manager",
        action="store_true",
        help="a manager: sees every referral, reassigns them, deletes for good",
    )
    for command in (init, add):
        command.add_argument(
            "--host", required=True, help="the server's name, as in its certificate"
        )
        command.add_argument("--port", type=int, default=5432, help="default 5432")
        command.add_argument("--dbname", required=True, help="the team's database on the server")
        command.add_argument("--ca", type=Path, required=True, help="the CA certificate file (PEM)")
        command.add_argument(
            "--admin",
            default="postgres",
            help="the administrator role to sign in as (default postgres)",
        )
    return parser
