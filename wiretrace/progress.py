"""Progress on stderr for long runs (rich), silent in library use unless asked for."""

from __future__ import annotations

import sys

from wiretrace.data import InputError


class Progress:
    """A small facade over `rich.progress` so stages never import a UI library themselves."""

    def __init__(self, enabled: bool = True, show_errors: bool | None = None) -> None:
        self.enabled = enabled
        self.show_errors = enabled if show_errors is None else show_errors
        self._rich = None
        if enabled:
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn
            from rich.progress import Progress as RichProgress

            self.console = Console(stderr=True)
            self._rich = RichProgress(
                TextColumn("{task.description:<28}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=self.console,
                transient=False,
            )
            self._rich.start()

    def task(self, description: str, total: int | None) -> int:
        return self._rich.add_task(description, total=total) if self._rich else 0

    def advance(self, task: int, n: int) -> None:
        if self._rich:
            self._rich.advance(task, n)

    def done(self, task: int) -> None:
        if self._rich:
            t = self._rich.tasks[task]
            self._rich.update(task, total=t.completed)

    def error(self, err: InputError) -> None:
        message = err.message()
        if self._rich:
            self.console.print(message, style="red", highlight=False, markup=False)
        elif self.show_errors:
            print(message, file=sys.stderr)

    def stop(self) -> None:
        if self._rich:
            self._rich.stop()
            self._rich = None
