"""A fake Discord channel at the network boundary, kept in a JSON-lines file.

Messages survive a SIGKILL of the process that posted them. Like Discord's
``enforce_nonce``, a send repeating a nonce within ``nonce_window`` returns the existing
message instead of posting again (a window of zero turns that off, so the ledger alone
must prevent duplicates). ``recent()`` reports nonces only if ``report_nonce`` (Discord's
history usually does not), so reconciliation by content is exercised too.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Callable
from pathlib import Path

from bot.reminders.sender import Seen


class SendFailed(Exception):
    """Stands in for discord.Forbidden / a 5xx HTTPException."""


class FileChannel:
    def __init__(self, path: Path, clock: Callable[[], dt.datetime],
                 nonce_window: dt.timedelta = dt.timedelta(0), report_nonce: bool = False):
        self.path = Path(path)
        self.clock = clock
        self.nonce_window = nonce_window
        self.report_nonce = report_nonce
        self.failures: list[str] = []  # "before": fail without posting; "after": post, then fail

    def messages(self) -> list[dict]:
        if not self.path.exists():
            return []
        return [json.loads(line) for line in self.path.read_text().splitlines() if line.strip()]

    async def send(self, content: str, nonce: str) -> int:
        mode = self.failures.pop(0) if self.failures else None
        if mode == "before":
            raise SendFailed("503 Service Unavailable")
        now = self.clock()
        for message in self.messages():
            age = now - dt.datetime.fromisoformat(message["created_at"])
            if message["nonce"] == nonce and age < self.nonce_window:
                return message["id"]
        message_id = len(self.messages()) + 1
        record = {"id": message_id, "content": content, "nonce": nonce, "created_at": now.isoformat()}
        self._append(json.dumps(record) + "\n")
        if mode == "after":
            raise SendFailed("timed out waiting for Discord's reply")
        return message_id

    def _append(self, line: str) -> None:
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            os.write(fd, line.encode())  # one write: a kill leaves the line whole or absent
        finally:
            os.close(fd)

    async def recent(self, since: dt.datetime, limit: int) -> list[Seen]:
        found = [Seen(m["id"], m["content"], m["nonce"] if self.report_nonce else None,
                      dt.datetime.fromisoformat(m["created_at"]))
                 for m in self.messages() if dt.datetime.fromisoformat(m["created_at"]) >= since]
        return found[-limit:]
