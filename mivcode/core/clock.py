"""The one timestamp format of a project: ISO 8601 in UTC, to the millisecond (codings, memos, the log)."""

from __future__ import annotations

from datetime import datetime, timezone


def now_iso() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds")
