"""python -m bot.run: prepare and start every Wayfinder process on this machine.

Builds the spaCy pipeline and trains the Rasa model when they are missing or
stale, loads the sample directory into an empty directory, then starts the
action server (:5055), the Rasa server (:5005, REST and socket.io channels and
the HTTP API behind a token) and the HSDS read API (:8000), prints the URLs
and supervises them: when one stops, all stop.

    python -m bot.run              # everything
    python -m bot.run --prepare    # build, train and load only
"""

from __future__ import annotations

import argparse
import hashlib
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from bot.config import PROJECT_ROOT, var_dir

SAMPLE_DIRECTORY = PROJECT_ROOT / "data" / "directory" / "sample" / "services.json"
MODELS_DIR = PROJECT_ROOT / "models"


@dataclass(frozen=True)
class Ports:
    rasa: int = int(os.environ.get("WAYFINDER_RASA_PORT", "5005"))
    actions: int = int(os.environ.get("WAYFINDER_ACTIONS_PORT", "5055"))
    console: int = int(os.environ.get("WAYFINDER_CONSOLE_PORT", "8000"))
    host: str = os.environ.get("WAYFINDER_HOST", "127.0.0.1")


def api_token() -> str:
    """The Rasa HTTP API token: from the environment, else generated once into var/."""
    token = os.environ.get("WAYFINDER_RASA_TOKEN")
    if token:
        return token
    path = var_dir() / "rasa_api_token"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(32))
        path.chmod(0o600)
    return path.read_text().strip()


def python_bin(name: str) -> str:
    """A console script of this virtual environment (rasa), found beside the interpreter."""
    return str(Path(sys.executable).parent / name)


def quiet_environment() -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    env.setdefault("PYTHONWARNINGS", "ignore")
    return env


def build_vocabulary() -> None:
    from bot.nlp.build import build

    build()


MODEL_NAME = "wayfinder"
# Everything the trained model depends on; safety phrases and the directory are read at
# run time. Rasa 3 always packs a new model, even from its cache, so Wayfinder skips
# `rasa train` itself when none of these changed.
MODEL_INPUTS = ("config.yml", "domain.yml", "data/nlu", "data/stories", "components")


def model_inputs_fingerprint() -> str:
    digest = hashlib.sha256()
    for name in MODEL_INPUTS:
        path = PROJECT_ROOT / name
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for file in files:
            if "__pycache__" in file.parts:
                continue
            digest.update(str(file.relative_to(PROJECT_ROOT)).encode())
            digest.update(file.read_bytes())
    spacy_meta = MODELS_DIR / "spacy" / "wayfinder_en" / "meta.json"
    if spacy_meta.exists():
        digest.update(spacy_meta.read_bytes())
    return digest.hexdigest()


def train_if_needed(env: dict[str, str]) -> Path:
    """Train only when an input changed; Rasa's cache then retrains only what depends on it."""
    model = MODELS_DIR / f"{MODEL_NAME}.tar.gz"
    stamp = MODELS_DIR / f"{MODEL_NAME}.inputs"
    fingerprint = model_inputs_fingerprint()
    if model.exists() and stamp.exists() and stamp.read_text().strip() == fingerprint:
        print(f"The model in {model.relative_to(PROJECT_ROOT)} is up to date; not training.")
        return model
    subprocess.run(
        [python_bin("rasa"), "train", "--out", str(MODELS_DIR), "--fixed-model-name", MODEL_NAME],
        cwd=PROJECT_ROOT,
        env=env,
        check=True,
    )
    stamp.write_text(fingerprint + "\n")
    return model


def latest_model() -> Path:
    model = MODELS_DIR / f"{MODEL_NAME}.tar.gz"
    if not model.exists():
        raise SystemExit(
            "No trained model in models/: run `make run` (or python -m bot.run --prepare) first."
        )
    return model


def load_sample_if_empty() -> None:
    from bot.directory import Directory

    directory = Directory()
    try:
        if directory.is_empty():
            report = directory.import_path(SAMPLE_DIRECTORY)
            print(f"Loaded the sample directory: {report.inserted.get('service', 0)} services.")
    finally:
        directory.close()


def ensure_console_admin() -> None:
    """A console with no accounts gets an admin, its password written once to var/ (mode 600)."""
    from bot.console.accounts import Accounts

    accounts = Accounts.open()
    try:
        if accounts.users():
            return
        password = secrets.token_urlsafe(12)
        accounts.add_user("admin", password, "admin", "Admin")
        path = var_dir() / "console_admin_password"
        path.write_text(password + "\n")
        path.chmod(0o600)
        print(
            f"Created the console account 'admin'; its password is in {path}. "
            "Add advocates with: python -m bot.console add-user NAME --role advocate --name 'Sam'"
        )
    finally:
        accounts.engine.dispose()


def commands(ports: Ports, model: Path, token: str) -> dict[str, list[str]]:
    return {
        "actions": [
            python_bin("rasa"),
            "run",
            "actions",
            "--actions",
            "actions",
            "--port",
            str(ports.actions),
        ],
        "rasa": [
            python_bin("rasa"),
            "run",
            "--model",
            str(model),
            "--enable-api",
            "--auth-token",
            token,
            "--cors",
            "*",
            "--interface",
            ports.host,
            "--port",
            str(ports.rasa),
            "--credentials",
            "credentials.yml",
            "--endpoints",
            "endpoints.yml",
        ],
        "console": [
            sys.executable,
            "-m",
            "bot.console",
            "--host",
            ports.host,
            "--port",
            str(ports.console),
            "--rasa-url",
            f"http://127.0.0.1:{ports.rasa}",
        ],
    }


def wait_until_up(url: str, process: subprocess.Popen, seconds: float = 300) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{url}: the process exited with code {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"{url} did not answer within {seconds:.0f} s")


def free_port() -> int:
    """A port nothing listens on (tests and benchmarks start their own servers on them)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start(
    ports: Ports,
    model: Path,
    env: dict[str, str],
    token: str | None = None,
    log_dir: Path | None = None,
) -> dict[str, subprocess.Popen]:
    """Start every process and wait until each answers; with ``log_dir``, each writes to NAME.log there."""
    token = token or api_token()
    env = {
        **env,
        "WAYFINDER_ACTION_ENDPOINT": f"http://127.0.0.1:{ports.actions}/webhook",
        "WAYFINDER_RASA_TOKEN": token,
    }
    processes = {}
    health = {
        "actions": f"http://127.0.0.1:{ports.actions}/health",
        "rasa": f"http://127.0.0.1:{ports.rasa}/",
        "console": f"http://127.0.0.1:{ports.console}/health",
    }
    try:
        for name, command in commands(ports, model, token).items():
            log = open(log_dir / f"{name}.log", "wb") if log_dir is not None else None  # noqa: SIM115
            try:
                processes[name] = subprocess.Popen(
                    command, cwd=PROJECT_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT if log else None
                )
            finally:
                if log is not None:
                    log.close()  # the child keeps its own copy
        for name, process in processes.items():
            wait_until_up(health[name], process)
    except BaseException:
        stop(processes)  # none is left running when one fails to come up
        raise
    return processes


def start_isolated(
    model: Path, var_dir: Path, extra_env: dict[str, str] | None = None, log_dir: Path | None = None
) -> tuple[Ports, str, dict[str, subprocess.Popen]]:
    """Every process on free loopback ports over ``var_dir``, with the sample directory loaded:
    a stack of its own for tests and benchmarks, beside any `make run`. Returns the ports, the
    Rasa API token and the processes."""
    from bot.directory import Directory

    directory = Directory(f"sqlite:///{var_dir / 'directory.sqlite3'}")
    try:
        directory.import_path(SAMPLE_DIRECTORY)
    finally:
        directory.close()
    ports = Ports(rasa=free_port(), actions=free_port(), console=free_port(), host="127.0.0.1")
    token = secrets.token_hex(16)
    env = {
        **quiet_environment(),
        "WAYFINDER_VAR_DIR": str(var_dir),
        # Results must not depend on the hour they are made: advocates are on shift.
        "WAYFINDER_ADVOCATE_HOURS": "always",
        # The console is served over plain HTTP on 127.0.0.1.
        "WAYFINDER_CONSOLE_INSECURE_COOKIES": "1",
        **(extra_env or {}),
    }
    # Its own var/ only: a database configured for the machine must not be shared with it.
    env.pop("WAYFINDER_DATABASE_URL", None)
    env.pop("DATABASE_URL", None)
    return ports, token, start(ports, model, env, token=token, log_dir=log_dir)


def stop(processes: dict[str, subprocess.Popen]) -> None:
    for process in processes.values():
        if process.poll() is None:
            process.terminate()
    for process in processes.values():
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.run", description=__doc__.splitlines()[0])
    parser.add_argument("--prepare", action="store_true", help="build, train and load, then exit")
    args = parser.parse_args(argv)
    env = quiet_environment()
    build_vocabulary()
    model = train_if_needed(env)
    load_sample_if_empty()
    if args.prepare:
        return 0
    ensure_console_admin()
    ports = Ports()
    processes = start(ports, model, env)
    print(
        "\nWayfinder is running:\n"
        f"  REST channel     http://{ports.host}:{ports.rasa}/webhooks/rest/webhook\n"
        f"  socket.io        http://{ports.host}:{ports.rasa}/socket.io\n"
        f"  Rasa HTTP API    http://{ports.host}:{ports.rasa}/  (token in var/rasa_api_token or WAYFINDER_RASA_TOKEN)\n"
        f"  action server    http://127.0.0.1:{ports.actions}/health\n"
        f"  widget demo      http://{ports.host}:{ports.console}/demo\n"
        f"  staff console    http://{ports.host}:{ports.console}/  (accounts: python -m bot.console add-user NAME --role advocate)\n"
        f"  HSDS API         http://{ports.host}:{ports.console}/api/hsds/services\n"
        "Press Ctrl-C to stop.",
        flush=True,
    )
    stopping = False

    def request_stop(_signum, _frame) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, request_stop)
    signal.signal(signal.SIGTERM, request_stop)
    try:
        while not stopping:
            exited = [name for name, process in processes.items() if process.poll() is not None]
            if exited:
                print(f"{', '.join(exited)} stopped; stopping the rest.", file=sys.stderr)
                return 1
            time.sleep(1)
    finally:
        stop(processes)
    return 0


if __name__ == "__main__":
    sys.exit(main())
