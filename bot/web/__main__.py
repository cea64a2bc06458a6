"""python -m bot.web: serve the widget and its demo page alone (for trying it and for tests).

python -m bot.web --port 8080 --socket-url http://127.0.0.1:5005
"""

from __future__ import annotations

import argparse

from sanic import Sanic

from bot.web import widget_blueprint
from bot.web.security import add_security_headers


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bot.web", description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument(
        "--socket-url", default="http://127.0.0.1:5005", help="the Rasa server that serves /socket.io"
    )
    args = parser.parse_args(argv)
    app = Sanic("wayfinder_web")
    app.blueprint(widget_blueprint(args.socket_url))
    # Its error pages too (404s), as the console's.
    app.register_middleware(lambda _request, reply: add_security_headers(reply), "response")
    print(f"Widget demo: http://{args.host}:{args.port}/demo", flush=True)
    app.run(host=args.host, port=args.port, access_log=False)


if __name__ == "__main__":
    main()
