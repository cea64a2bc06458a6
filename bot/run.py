"""python -m bot.run: prepare and start every Wayfinder process on this machine.

Builds the spaCy pipeline and trains the Rasa model when they are missing or
stale, loads the sample directory into an empty directory, then starts the
action server (:5055, ``python -m bot.channels.action_server``, behind a bearer
token only the Rasa server holds), the Rasa server (:5005, ``python -m
bot.channels.server``: REST, socket.io and SMS channels, and the HTTP API behind a
JWT signed with var/rasa_jwt_secret) and the staff console with the HSDS read API
(:8000), prints the URLs and supervises them: one that exits is reported and
started again (after 1 s, 2 s, 4 s ... at most 30 s while it keeps failing), and
the others go on serving. Ctrl-C or SIGTERM stops them all.

Secrets reach the children through their environment only, never their command
line (readable by every user in ``ps``); var/, where they and the SQLite
databases live, is readable by this user only (0700, files 0600).

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
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from bot import workers
from bot.config import PROJECT_ROOT, secret, var_dir
from bot.rasa_auth import (
    ACTION_TOKEN_ENV,
    JWT_SECRET_ENV,
    SECRET_ENVS,
    action_server_token,
    rasa_jwt_secret,
)

SAMPLE_DIRECTORY = PROJECT_ROOT / "data" / "directory" / "sample" / "services.json"
MODELS_DIR = PROJECT_ROOT / "models"
# What the children create (databases, journals, logs) is readable by this user only.
CHILD_UMASK = 0o077


def local_address(host: str) -> str:
    """An address that reaches a server listening on ``host`` from this machine."""
    return {"": "127.0.0.1", "0.0.0.0": "127.0.0.1", "::": "::1"}.get(host, host)


def http_url(host: str, port: int) -> str:
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


@dataclass(frozen=True)
class Ports:
    rasa: int = int(os.environ.get("WAYFINDER_RASA_PORT", "5005"))
    actions: int = int(os.environ.get("WAYFINDER_ACTIONS_PORT", "5055"))
    console: int = int(os.environ.get("WAYFINDER_CONSOLE_PORT", "8000"))
    # Used only when several Rasa processes need a Redis that bot.run starts (bot/workers.py).
    redis: int = int(os.environ.get(workers.REDIS_PORT_ENV, str(workers.DEFAULT_REDIS_PORT)))
    host: str = os.environ.get("WAYFINDER_HOST", "127.0.0.1")

    @property
    def local(self) -> str:
        """Where this machine's processes reach the servers (the host itself unless it is every interface)."""
        return local_address(self.host)


def server_secrets() -> dict[str, str]:
    """Every secret the children need, by environment variable: from the environment, else from
    var/ (generated there once, hex, 0600)."""
    return {JWT_SECRET_ENV: rasa_jwt_secret(), ACTION_TOKEN_ENV: action_server_token()}


def secure_var_dir(path: Path) -> None:
    """var/ readable by this user only: the folder 0700 and what is in it 0600, files made by an
    older Wayfinder or before the umask included."""
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    path.chmod(0o700)
    for item in path.rglob("*"):
        if not item.is_symlink():
            item.chmod(0o700 if item.is_dir() else 0o600)


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
MODEL_INPUTS = ("config.yml", "domain.yml", "data/nlu", "data/needs", "data/stories", "components")


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


# Each child gets only the secrets it uses.
CHILD_SECRETS = {
    "actions": (ACTION_TOKEN_ENV,),
    "rasa": (JWT_SECRET_ENV, ACTION_TOKEN_ENV),
    "console": (JWT_SECRET_ENV,),
}


@dataclass(frozen=True)
class ChildSpec:
    """How to start one child, so that it can be started again the same way."""

    name: str
    command: list[str]
    env: dict[str, str] = field(repr=False)
    health_url: str
    log_path: Path | None = None
    # Files (a configuration with a secret) written, readable by this user only, before each start.
    files: tuple[tuple[Path, str], ...] = field(default=(), repr=False)


class Child(subprocess.Popen):
    """A running child that remembers how it was started."""

    def __init__(self, spec: ChildSpec, append_log: bool = False) -> None:
        self.spec = spec
        for path, text in spec.files:
            path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w") as file:
                file.write(text)
        log = open(spec.log_path, "ab" if append_log else "wb") if spec.log_path else None  # noqa: SIM115
        try:
            super().__init__(
                spec.command,
                cwd=PROJECT_ROOT,
                env=spec.env,
                stdout=log,
                stderr=subprocess.STDOUT if log else None,
                umask=CHILD_UMASK,
            )
        finally:
            if log is not None:
                log.close()  # the child keeps its own copy

    def again(self) -> Child:
        """The same child started anew (its log, if any, continued)."""
        return Child(self.spec, append_log=True)


def child_specs(
    ports: Ports, model: Path, env: dict[str, str], secret_env: dict[str, str], log_dir: Path | None = None
) -> dict[str, ChildSpec]:
    """How to start each child. With several Rasa processes and no Redis named, a Redis of
    their own comes first (bot/workers.py); its URL, which holds its password, goes to the
    Rasa server only."""
    common = {
        name: value
        for name, value in env.items()
        if name not in SECRET_ENVS and name not in (workers.REDIS_URL_ENV, workers.REDIS_PASSWORD_ENV)
    }
    common.update(
        {
            "WAYFINDER_HOST": ports.host,
            "WAYFINDER_RASA_PORT": str(ports.rasa),
            "WAYFINDER_ACTIONS_PORT": str(ports.actions),
            # The console's own URLs, which CORS allows, follow its port.
            "WAYFINDER_CONSOLE_PORT": str(ports.console),
            "WAYFINDER_MODEL": str(model),
            "WAYFINDER_ACTION_ENDPOINT": f"{http_url(ports.local, ports.actions)}/webhook",
        }
    )
    rasa_url = http_url(ports.local, ports.rasa)
    specs: dict[str, ChildSpec] = {}
    redis_url = workers.redis_url(env)
    if redis_url is None and workers.rasa_workers(env) > 1:
        password = secret_env.get(workers.REDIS_PASSWORD_ENV) or secret(
            workers.REDIS_PASSWORD_FILE, workers.REDIS_PASSWORD_ENV
        )
        redis_dir = Path(env.get("WAYFINDER_VAR_DIR") or var_dir()) / "redis"
        config = redis_dir / "redis.conf"
        redis_url = workers.local_redis_url(ports.redis, password)
        specs["redis"] = ChildSpec(
            name="redis",
            command=[workers.redis_server_binary(), str(config)],
            env=common,
            health_url=redis_url,
            log_path=log_dir / "redis.log" if log_dir is not None else None,
            files=((config, workers.redis_server_config(ports.redis, password, redis_dir)),),
        )
    redis_env = {workers.REDIS_URL_ENV: redis_url} if redis_url else {}
    commands = {
        "actions": [sys.executable, "-m", "bot.channels.action_server"],
        "rasa": [sys.executable, "-m", "bot.channels.server"],
        "console": [
            sys.executable,
            "-m",
            "bot.console",
            "--host",
            ports.host,
            "--port",
            str(ports.console),
            "--rasa-url",
            rasa_url,
        ],
    }
    health = {
        "actions": f"{http_url(ports.local, ports.actions)}/health",
        "rasa": f"{rasa_url}/",
        "console": f"{http_url(ports.local, ports.console)}/health",
    }
    for name, command in commands.items():
        specs[name] = ChildSpec(
            name=name,
            command=command,
            env={
                **common,
                **{key: secret_env[key] for key in CHILD_SECRETS[name]},
                **(redis_env if name == "rasa" else {}),
            },
            health_url=health[name],
            log_path=log_dir / f"{name}.log" if log_dir is not None else None,
        )
    return specs


def answers(url: str) -> bool:
    """Whether the server at ``url`` (HTTP, or redis:// for the workers' Redis) answers."""
    if url.startswith(("redis://", "rediss://")):
        return workers.redis_answers(url)
    try:
        with urllib.request.urlopen(url, timeout=2):
            return True
    except OSError:
        return False


def wait_until_up(url: str, process: subprocess.Popen, seconds: float = 300) -> None:
    shown = url.split("@")[-1]  # a Redis URL holds its password before the @
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{shown}: the process exited with code {process.returncode}")
        if answers(url):
            return
        time.sleep(0.5)
    raise RuntimeError(f"{shown} did not answer within {seconds:.0f} s")


def free_port() -> int:
    """A port nothing listens on (tests and benchmarks start their own servers on them)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start(
    ports: Ports,
    model: Path,
    env: dict[str, str],
    secret_env: dict[str, str] | None = None,
    log_dir: Path | None = None,
) -> dict[str, Child]:
    """Start every process and wait until each answers; with ``log_dir``, each writes to NAME.log
    there. ``secret_env`` defaults to the machine's secrets (``server_secrets``)."""
    secret_env = secret_env or server_secrets()
    secure_var_dir(Path(env["WAYFINDER_VAR_DIR"]) if env.get("WAYFINDER_VAR_DIR") else var_dir())
    processes: dict[str, Child] = {}
    try:
        for name, spec in child_specs(ports, model, env, secret_env, log_dir).items():
            processes[name] = Child(spec)
        for process in processes.values():
            wait_until_up(process.spec.health_url, process)
    except BaseException:
        stop(processes)  # none is left running when one fails to come up
        raise
    return processes


def start_isolated(
    model: Path,
    var_dir: Path,
    extra_env: dict[str, str] | None = None,
    log_dir: Path | None = None,
    directory: Path = SAMPLE_DIRECTORY,
    crosswalk: Path | list[Path] | None = None,
) -> tuple[Ports, str, dict[str, Child]]:
    """Every process on free loopback ports over ``var_dir``, with a directory loaded (the sample,
    or another HSDS export through a crosswalk or a list of them): a stack of its own for tests
    and benchmarks, beside any `make run`. Its secrets are its own, in its children's environment only. Returns
    the ports, the secret that signs JWTs for the Rasa HTTP API (``bot.rasa_auth.admin_jwt``)
    and the processes."""
    from bot.directory import Directory

    loaded = Directory(f"sqlite:///{var_dir / 'directory.sqlite3'}")
    try:
        loaded.import_path(directory, crosswalk=crosswalk)
    finally:
        loaded.close()
    ports = Ports(
        rasa=free_port(), actions=free_port(), console=free_port(), redis=free_port(), host="127.0.0.1"
    )
    stack_secrets = {name: secrets.token_hex(32) for name in (*SECRET_ENVS, workers.REDIS_PASSWORD_ENV)}
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
    processes = start(ports, model, env, secret_env=stack_secrets, log_dir=log_dir)
    return ports, stack_secrets[JWT_SECRET_ENV], processes


def exit_description(code: int) -> str:
    if code < 0:
        try:
            return f"killed by {signal.Signals(-code).name}"
        except ValueError:
            return f"killed by signal {-code}"
    return f"exit code {code}"


class Supervisor:
    """Keeps the children serving: one that exits is reported on stderr with its exit code and
    started again after a pause that doubles while it keeps failing (1 s, 2 s, 4 s ... 30 s) and
    starts over at 1 s once it has run a minute; the others are left alone.

    It works on the ``processes`` dict it is given, putting each new process in place of the
    one that exited, so that ``stop(processes)`` stops the current ones. ``run`` loops until
    ``request_stop``, which is safe to call from a signal handler or another thread."""

    def __init__(
        self,
        processes: dict[str, Child],
        first_delay: float = 1.0,
        max_delay: float = 30.0,
        steady_after: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.processes = processes
        self.first_delay, self.max_delay, self.steady_after = first_delay, max_delay, steady_after
        self.clock = clock
        now = clock()
        self.started = {name: now for name in processes}
        self.failures = {name: 0 for name in processes}
        self.restart_at: dict[str, float] = {}
        self.stopping = False

    def check(self) -> None:
        """Note children that exited and start those whose pause is over."""
        now = self.clock()
        for name, process in list(self.processes.items()):
            if self.stopping:
                return
            if name in self.restart_at:
                if now >= self.restart_at[name]:
                    del self.restart_at[name]
                    self.processes[name] = process.again()
                    self.started[name] = now
                    report(f"{name}: started again (pid {self.processes[name].pid}).")
                continue
            code = process.poll()
            if code is None:
                continue
            ran = now - self.started.get(name, now)
            if ran >= self.steady_after:
                self.failures[name] = 0
            failures = self.failures.get(name, 0)
            delay = min(self.first_delay * 2**failures, self.max_delay)
            self.failures[name] = failures + 1
            self.restart_at[name] = now + delay
            report(
                f"{name} stopped ({exit_description(code)}) after {ran:.0f} s; "
                f"starting it again in {delay:g} s. The others go on serving."
            )

    def run(self, interval: float = 0.5) -> None:
        while not self.stopping:
            self.check()
            time.sleep(interval)

    def request_stop(self) -> None:
        self.stopping = True


def report(message: str) -> None:
    print(f"wayfinder: {message}", file=sys.stderr, flush=True)


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
    # Databases, secrets and the admin's password made here are readable by this user only.
    os.umask(CHILD_UMASK)
    env = quiet_environment()
    build_vocabulary()
    model = train_if_needed(env)
    load_sample_if_empty()
    if args.prepare:
        return 0
    ensure_console_admin()
    ports = Ports()
    try:
        rasa_processes = workers.rasa_workers(env)
        processes = start(ports, model, env)
    except workers.WorkersError as error:
        raise SystemExit(f"wayfinder: {error}") from None
    supervisor = Supervisor(processes)
    shared_redis = (
        "the Redis in WAYFINDER_REDIS_URL"
        if workers.redis_url(env)
        else f"a Redis on 127.0.0.1:{ports.redis}"
    )
    lines = [
        "",
        "Wayfinder is running:",
        f"  REST channel     {http_url(ports.host, ports.rasa)}/webhooks/rest/webhook",
        f"  socket.io        {http_url(ports.host, ports.rasa)}/socket.io",
        f"  Rasa HTTP API    {http_url(ports.host, ports.rasa)}/  (Authorization: Bearer, a JWT signed with var/rasa_jwt_secret)",
        *([f"  Rasa processes   {rasa_processes}, sharing {shared_redis}"] if rasa_processes > 1 else []),
        f"  action server    {http_url(ports.host, ports.actions)}/health",
        f"  widget demo      {http_url(ports.host, ports.console)}/demo",
        f"  staff console    {http_url(ports.host, ports.console)}/  (accounts: python -m bot.console add-user NAME --role advocate)",
        f"  HSDS API         {http_url(ports.host, ports.console)}/api/hsds/services",
        "Press Ctrl-C to stop.",
    ]
    print("\n".join(lines), flush=True)
    signal.signal(signal.SIGINT, lambda _signum, _frame: supervisor.request_stop())
    signal.signal(signal.SIGTERM, lambda _signum, _frame: supervisor.request_stop())
    try:
        supervisor.run()
    finally:
        stop(processes)
    return 0


if __name__ == "__main__":
    sys.exit(main())
