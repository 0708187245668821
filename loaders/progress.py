"""A small progress bar on a text stream (stderr), redrawn at most a few times a second.

On a terminal it redraws one line in place; elsewhere (a log file, CI) it writes only the final
line, so logs do not fill with carriage returns.
"""

from __future__ import annotations

import time
from typing import TextIO

_WIDTH = 30
_REDRAW_SECONDS = 0.2


class Progress:
    """Progress through `total` units (bytes of source files, or items), labelled `label`."""

    def __init__(self, label: str, total: int, stream: TextIO | None, unit: str = "bytes") -> None:
        self.label = label
        self.unit = unit
        self.total = max(total, 1)
        self.done = 0
        self._stream = stream
        self._live = stream is not None and stream.isatty()
        self._started = time.perf_counter()
        self._drawn = 0.0

    def advance(self, amount: int) -> None:
        """Count `amount` more units done; redraw if the last drawing is old enough."""
        self.done = min(self.done + amount, self.total)
        now = time.perf_counter()
        if self._live and now - self._drawn >= _REDRAW_SECONDS:
            self._drawn = now
            self._write("\r" + self.line(now))

    def finish(self) -> None:
        """Draw the bar full and end its line."""
        self.done = self.total
        self._write(("\r" if self._live else "") + self.line(time.perf_counter()) + "\n")

    def line(self, now: float) -> str:
        """The bar as text: label, bar, percentage, amount done and seconds so far."""
        share = self.done / self.total
        filled = int(share * _WIDTH)
        bar = "#" * filled + "." * (_WIDTH - filled)
        if self.unit == "bytes":
            amount = f"{self.done / 1e6:.1f}/{self.total / 1e6:.1f} MB"
        else:
            amount = f"{self.done}/{self.total} {self.unit}"
        return f"{self.label} [{bar}] {share:4.0%} {amount} {now - self._started:.1f} s"

    def _write(self, text: str) -> None:
        if self._stream is not None:
            self._stream.write(text)
            self._stream.flush()
