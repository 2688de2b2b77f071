"""Per-user rate limit: at most N questions in a sliding window (pure, time passed in)."""

from __future__ import annotations

from collections import deque


class RateLimiter:
    def __init__(self, limit: int, window_seconds: float):
        self.limit = limit
        self.window = window_seconds
        self._hits: dict[int, deque[float]] = {}

    def allow(self, user_id: int, now: float) -> float:
        """Count a question; return 0 if allowed, else the seconds until the next one is."""
        hits = self._hits.setdefault(user_id, deque())
        while hits and hits[0] <= now - self.window:
            hits.popleft()
        if len(hits) >= self.limit:
            return hits[0] + self.window - now
        hits.append(now)
        if len(self._hits) > 10_000:  # forget idle users so memory stays bounded
            self._hits = {u: h for u, h in self._hits.items() if h and h[-1] > now - self.window}
        return 0.0
