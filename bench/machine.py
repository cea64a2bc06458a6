"""What the benchmarks say about the machine and its processes: load, peak memory, CPU time."""

from __future__ import annotations

import os
import platform
import shlex
import signal
import sys
from datetime import datetime, timezone
from pathlib import Path


def load_average() -> str:
    try:
        return "load average " + " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "load average unknown"


def machine() -> str:
    return (
        f"{os.cpu_count()} CPUs, {platform.platform()}, {platform.processor() or platform.machine()}, "
        f"Python {platform.python_version()}"
    )


def proc_status(pid: int, key: str) -> int | None:
    """A /proc/<pid>/status figure in kB (VmHWM: peak resident set, VmRSS: now)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return None


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU time of a process so far (/proc/<pid>/stat)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None


def begin(title: str) -> tuple[str, datetime]:
    """A benchmark's opening: its title, the machine, the date and load; SIGTERM stops it as
    Ctrl-C does (so that its servers are stopped). Returns the command line and the start."""
    command = shlex.join(getattr(sys, "orig_argv", [sys.executable, *sys.argv]))
    started_at = datetime.now(timezone.utc).astimezone()
    print(title)
    print(f"machine: {machine()}")
    print(f"date: {started_at.isoformat(timespec='seconds')}; before: {load_average()}")

    def terminate(_signum, _frame) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, terminate)
    return command, started_at
