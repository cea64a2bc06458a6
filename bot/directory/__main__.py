"""python -m bot.directory: import, export, validate, search and count the directory.

Exit codes: 0 done, 1 refused (a bad file, an unknown ZIP), 2 wrong arguments.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from bot.directory import Directory, HSDSFileError, PlaceError, SearchQuery
from bot.directory.conformance import checker, default_schema_dir
from bot.directory.exporter import json_documents
from bot.directory.hsds import detect_entity
from bot.directory.importer import read_path
from bot.directory.search import SearchResponse


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bot.directory", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--database", help="database URL (default: WAYFINDER_DATABASE_URL or var/directory.sqlite3)"
    )
    commands = parser.add_subparsers(dest="command", required=True)

    importing = commands.add_parser(
        "import", help="import HSDS JSON, a tabular data package folder, or a CSV"
    )
    importing.add_argument("path", type=Path)
    importing.add_argument(
        "--crosswalk",
        type=Path,
        action="append",
        help="YAML mapping an external taxonomy onto ours (repeat for several, e.g. AIRS and local terms)",
    )
    importing.add_argument(
        "--if-empty", action="store_true", help="only when the directory has no services yet"
    )

    exporting = commands.add_parser(
        "export", help="export HSDS JSON (PATH.json) or a tabular data package (folder)"
    )
    exporting.add_argument("path", type=Path)
    exporting.add_argument("--schema-dir", type=Path, help="check the JSON export against these HSDS schemas")

    validating = commands.add_parser("validate", help="check a file without changing the directory")
    validating.add_argument("path", type=Path)
    validating.add_argument("--crosswalk", type=Path, action="append")
    validating.add_argument("--schema-dir", type=Path, help="also check against the HSDS JSON Schemas")

    searching = commands.add_parser("search", help="find services the way the assistant does")
    searching.add_argument("--need", help="a need code from data/directory/taxonomy.yml, e.g. counseling")
    where = searching.add_mutually_exclusive_group()
    where.add_argument("--zip", dest="zip_code")
    where.add_argument("--place", help='a neighbourhood, town or landmark: "Kensington", "near Temple"')
    searching.add_argument("--radius", type=float, default=10.0, help="miles (default 10)")
    searching.add_argument("--payment", help="medicaid, medicare, private_insurance, sliding_fee, free")
    searching.add_argument("--age", type=int)
    searching.add_argument("--language", help="ISO 639-1 code, e.g. es")
    searching.add_argument("--population", help="youth, adults, seniors, veterans, lgbtq, ...")
    searching.add_argument("--free", action="store_true", help="free or sliding fee only")
    searching.add_argument("--open-now", action="store_true")
    searching.add_argument("--day", help="open on this day: MO, TU, WE, TH, FR, SA, SU")
    searching.add_argument("--days", help="open on one of these days: SA,SU")
    searching.add_argument("--after", help="open after this time on one of the days: 18:00")
    searching.add_argument("--before", help="open before this time on one of the days: 09:00")
    searching.add_argument("--today", action="store_true", help="open at some point in the rest of today")
    searching.add_argument(
        "--prefer-population", help="rank services for this group first, without filtering"
    )
    searching.add_argument(
        "--exclude", action="append", default=[], help="a service or organization id to leave out"
    )
    searching.add_argument("--walk-in", action="store_true")
    searching.add_argument("--telehealth", action="store_true")
    searching.add_argument("--limit", type=int, default=5)
    searching.add_argument("--json", action="store_true", help="print JSON")

    commands.add_parser("stats", help="counts, coverage by need, stale records, unmet needs")

    serving = commands.add_parser("serve", help="serve the HSDS read API on its own")
    serving.add_argument("--host", default=os.environ.get("WAYFINDER_HOST", "127.0.0.1"))
    serving.add_argument("--port", type=int, default=int(os.environ.get("WAYFINDER_CONSOLE_PORT", "8000")))
    return parser


def _print_response(response: SearchResponse) -> None:
    for notice in response.notices:
        print(notice)
    if not response.results:
        print("No services fit all of that.")
        if response.closed_matches:
            print("Open at other times:")
            for result in response.closed_matches:
                print(f"  - {result.name}: {result.next_open or 'hours not listed'}")
        for relaxation in response.relaxations:
            print(f"  - {relaxation.suggestion}: {relaxation.matches} would fit")
        return
    print(f"{response.total} fit; the best {len(response.results)}:")
    for number, result in enumerate(response.results, 1):
        print(f"{number}. {result.name} ({result.organization or 'no organization'})")
        print(f"   {result.phone or 'no phone'} | {result.address or 'by phone or online'}")
        print(f"   why: {'; '.join(result.reasons)}")
        if result.caveats:
            print(f"   check: {'; '.join(result.caveats)}")


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    directory = Directory(args.database)
    try:
        if args.command == "import":
            if args.if_empty and not directory.is_empty():
                print("The directory already has services; nothing imported.")
                return 0
            report = directory.import_path(args.path, crosswalk=args.crosswalk, progress=sys.stderr.isatty())
            print(report.summary())
        elif args.command == "validate":
            report = directory.validate_path(args.path, crosswalk=args.crosswalk)
            errors = _schema_errors(args.schema_dir, args.path)
            print(f"{args.path}: {report.records} records would import.")
            for warning in report.warnings:
                print(f"warning: {warning}")
            for error in errors:
                print(f"schema: {error}")
            return 1 if errors else 0
        elif args.command == "export":
            count = directory.export(args.path)
            print(f"Wrote {count} {'documents' if args.path.suffix == '.json' else 'rows'} to {args.path}")
            if args.schema_dir:
                errors = _check_documents(json_documents(directory.snapshot()), args.schema_dir)
                for error in errors:
                    print(f"schema: {error}")
                return 1 if errors else 0
        elif args.command == "search":
            query = SearchQuery(
                need=args.need,
                zip_code=args.zip_code,
                place=args.place,
                radius_miles=args.radius,
                payment=args.payment,
                age=args.age,
                language=args.language,
                population=args.population,
                free_or_sliding=args.free,
                open_now=args.open_now,
                open_on=args.day,
                walk_in=args.walk_in,
                telehealth=args.telehealth,
                limit=args.limit,
                prefer_population=args.prefer_population,
                exclude=tuple(args.exclude),
                days=tuple(day.strip() for day in args.days.split(",") if day.strip()) if args.days else (),
                open_after=args.after,
                open_before=args.before,
                open_today=args.today,
            )
            # A staff member trying searches is not a caller's unmet need.
            response = directory.search(query)
            if args.json:
                print(json.dumps(response.as_dict(), indent=2))
            else:
                _print_response(response)
        elif args.command == "stats":
            print(json.dumps(directory.stats(), indent=2))
        elif args.command == "serve":
            _serve(directory, args.host, args.port)
    except (HSDSFileError, PlaceError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except (KeyError, ValueError) as error:
        print(f"error: {error.args[0] if error.args else error}", file=sys.stderr)
        return 2
    finally:
        directory.close()
    return 0


def _serve(directory: Directory, host: str, port: int) -> None:
    from sanic import Sanic

    from bot.directory.api import hsds_blueprint

    app = Sanic("wayfinder_directory")
    app.blueprint(hsds_blueprint(directory))
    print(f"HSDS API: http://{host}:{port}/api/hsds/services")
    app.run(host=host, port=port, access_log=False)


def _schema_errors(schema_dir: Path | None, path: Path) -> list[str]:
    """Each record of the file, as read, checked against its HSDS schema."""
    if schema_dir is None:
        return []
    check = checker(schema_dir)
    errors = []
    for entity, records in read_path(path).records.items():
        for record in records.values():
            errors += [f"{entity} {record['id']}: {message}" for message in check(entity, record)]
    return errors


def _check_documents(documents: list[dict], schema_dir: Path | None) -> list[str]:
    schema_dir = schema_dir or default_schema_dir()
    if schema_dir is None:
        return ["no HSDS schema folder: pass --schema-dir or set HSDS_SCHEMA_DIR"]
    check = checker(schema_dir)
    errors = []
    for document in documents:
        entity = detect_entity(document) or "service"
        errors += [f"{entity} {document.get('id')}: {message}" for message in check(entity, document)]
    return errors


if __name__ == "__main__":
    sys.exit(main())
