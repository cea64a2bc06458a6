"""Server secrets, var/'s mode and the Supervisor's restarts, with real files and real processes
(short Python children; a clock the test moves, so that no test waits out a backoff)."""

from __future__ import annotations

import os
import re
import stat
import sys
from pathlib import Path

from bot import run
from bot.config import secret, var_dir
from bot.rasa_auth import ACTION_TOKEN_ENV, JWT_SECRET_ENV


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_server_secrets_are_private_hex_files_made_once():
    made = run.server_secrets()
    folder = Path(os.environ["WAYFINDER_VAR_DIR"])
    files = {JWT_SECRET_ENV: folder / "rasa_jwt_secret", ACTION_TOKEN_ENV: folder / "action_server_token"}
    for env, path in files.items():
        assert mode(path) == 0o600, path
        assert re.fullmatch(r"[0-9a-f]{64}", path.read_text()), path
        assert made[env] == path.read_text()
    assert made[JWT_SECRET_ENV] != made[ACTION_TOKEN_ENV]
    assert run.server_secrets() == made


def test_a_generated_secret_never_starts_like_a_command_line_flag():
    # urlsafe base64 starts with "-" once in 64; a few hundred secrets would show it.
    first_characters = {secret(f"sample_{i}")[0] for i in range(300)}
    assert first_characters <= set("0123456789abcdef")


def test_secrets_from_the_environment_are_not_written_to_var(monkeypatch):
    monkeypatch.setenv(JWT_SECRET_ENV, "ab" * 32)
    monkeypatch.setenv(ACTION_TOKEN_ENV, "cd" * 32)
    assert run.server_secrets() == {JWT_SECRET_ENV: "ab" * 32, ACTION_TOKEN_ENV: "cd" * 32}
    assert not (var_dir() / "rasa_jwt_secret").exists()
    assert not (var_dir() / "action_server_token").exists()


def test_var_is_readable_by_its_owner_only_even_when_it_was_made_open(tmp_path, monkeypatch):
    opened = tmp_path / "older-var"
    opened.mkdir()
    opened.chmod(0o755)
    monkeypatch.setenv("WAYFINDER_VAR_DIR", str(opened))
    assert var_dir() == opened
    assert mode(opened) == 0o700
    monkeypatch.setenv("WAYFINDER_VAR_DIR", str(tmp_path / "new" / "var"))
    assert mode(var_dir()) == 0o700


class Clock:
    """The Supervisor's clock, moved by the test."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def python_child(name: str, code: str, log_path: Path | None = None) -> run.Child:
    spec = run.ChildSpec(
        name=name,
        command=[sys.executable, "-c", code],
        env=dict(os.environ),
        health_url="",
        log_path=log_path,
    )
    return run.Child(spec)


def test_a_failing_child_is_restarted_after_doubling_pauses_while_the_others_keep_running(capsys, tmp_path):
    clock = Clock()
    processes = {
        "failing": python_child(
            "failing", "import os; print(os.getpid()); raise SystemExit(3)", tmp_path / "f.log"
        ),
        "steady": python_child("steady", "import time; time.sleep(600)"),
    }
    steady = processes["steady"]
    supervisor = run.Supervisor(processes, clock=clock)
    pauses = []
    try:
        for _ in range(7):
            processes["failing"].wait(timeout=60)
            supervisor.check()
            due = supervisor.restart_at["failing"]
            pauses.append(due - clock.now)
            exited = processes["failing"]
            clock.now = due - 0.01
            supervisor.check()
            assert processes["failing"] is exited, "started again before its pause was over"
            clock.now = due
            supervisor.check()
            assert processes["failing"] is not exited
        assert pauses == [1, 2, 4, 8, 16, 30, 30]

        # After a minute of running, the next failure is met with the shortest pause again.
        clock.now += 60
        processes["failing"].wait(timeout=60)
        supervisor.check()
        assert supervisor.restart_at["failing"] - clock.now == 1

        assert processes["steady"] is steady and steady.poll() is None
        said = capsys.readouterr().err
        assert "failing stopped (exit code 3)" in said
        assert "starting it again in 30 s" in said
        # Each start wrote its pid to the same log, continued rather than overwritten.
        assert len((tmp_path / "f.log").read_text().split()) == 8
    finally:
        run.stop(processes)


def test_nothing_is_restarted_once_stopping(capsys):
    clock = Clock()
    processes = {"failing": python_child("failing", "raise SystemExit(1)")}
    supervisor = run.Supervisor(processes, clock=clock)
    exited = processes["failing"]
    try:
        exited.wait(timeout=60)
        supervisor.request_stop()
        clock.now = 1000
        supervisor.check()
        assert processes["failing"] is exited and not supervisor.restart_at
    finally:
        run.stop(processes)
