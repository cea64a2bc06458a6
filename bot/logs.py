"""Log scrubbing: no caller's words and no unmasked phone number reach a log."""

from __future__ import annotations


def install_log_scrubbing() -> None:
    """Filter every handler of the root logger (and Python warnings) in this process."""
