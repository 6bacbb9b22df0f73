"""What an import tells: the files it refused and why, its warnings, and its counts."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class Rejection:
    file: str
    reason: str
    line: int | None = None

    def __str__(self):
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.reason}"

    def as_dict(self):
        return {"file": self.file, "line": self.line, "reason": self.reason}


@dataclass
class ImportSummary:
    seen: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejections: list[Rejection] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0
    placed_in_stories: int = 0  # articles the run's clustering placed (articles/clustering/)
    # Not imported because an import rule said so: (file, rule name). Not rejections.
    skipped: list[tuple[str, str]] = field(default_factory=list)
    fired: Counter = field(default_factory=Counter)  # how often each rule fired, by name
    rules_seconds: float = 0.0  # spent applying import rules (bench/import.py --rules)
    cluster_seconds: float = 0.0  # spent clustering stories (bench/import.py)
    cluster_peak_mb: float = 0.0  # the clustering process's peak RSS (0: it ran in this one)

    @property
    def rejected(self) -> int:
        return len(self.rejections)


class Report:
    """An import's summary as it grows. Each rejection and warning is also passed on as it
    happens, so that the caller can show it at once (above a progress bar, say)."""

    def __init__(
        self,
        on_rejection: Callable[[Rejection], None] | None = None,
        on_warning: Callable[[str], None] | None = None,
    ):
        self.summary = ImportSummary()
        self._on_rejection = on_rejection or (lambda rejection: None)
        self._on_warning = on_warning or (lambda message: None)

    def reject(self, rejection: Rejection) -> None:
        self.summary.rejections.append(rejection)
        self._on_rejection(rejection)

    def warn(self, message: str) -> None:
        self.summary.warnings.append(message)
        self._on_warning(message)

    def skip(self, skipped: list[tuple[str, str]]) -> None:
        self.summary.skipped.extend(skipped)
        self.summary.fired.update(rule for _, rule in skipped)

    def fired(self, outcomes) -> None:
        self.summary.fired.update(
            firing.rule_name for outcome in outcomes for firing in outcome.firings
        )
