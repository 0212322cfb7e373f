"""A progress bar on a terminal's stderr: plain text, redrawn in place, no dependency.

Drawn only when stderr is a terminal (a CI log or a pipe gets the summary line alone),
and at most a few times a second so that drawing never costs more than linting."""
from __future__ import annotations

import sys
import time
from typing import TextIO


class Progress:
    def __init__(self, total: int | None, enabled: bool | None = None, stream: TextIO | None = None,
                 width: int = 30) -> None:
        self.stream = stream or sys.stderr
        self.enabled = self.stream.isatty() if enabled is None else enabled
        self.total = total
        self.done = 0
        self.width = width
        self.started = time.monotonic()
        self._drawn = 0.0

    def update(self, pages: int) -> None:
        self.done += pages
        now = time.monotonic()
        if self.enabled and now - self._drawn >= 0.2:
            self._drawn = now
            self._draw(now)

    def _draw(self, now: float) -> None:
        elapsed = max(now - self.started, 1e-9)
        rate = self.done / elapsed
        if self.total:
            part = min(1.0, self.done / self.total)
            filled = int(part * self.width)
            bar = "#" * filled + "-" * (self.width - filled)
            left = (self.total - self.done) / rate if rate > 0 else 0
            line = (f"\raudit [{bar}] {self.done:,}/{self.total:,} pages {part:4.0%}  "
                    f"{rate:,.0f} pages/s  ~{left:,.0f} s left ")
        else:
            line = f"\raudit {self.done:,} pages  {rate:,.0f} pages/s "
        self.stream.write(line)
        self.stream.flush()

    def close(self) -> None:
        if self.enabled:
            self._draw(time.monotonic())
            self.stream.write("\n")
            self.stream.flush()

    @property
    def rate(self) -> float:
        return self.done / max(time.monotonic() - self.started, 1e-9)
