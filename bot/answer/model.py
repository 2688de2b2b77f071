"""What the engine returns: the answer text plus where it came from."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Literal

SourceKind = Literal["calendar", "policy", "faq", "reading", "resource", "course"]


@dataclass(frozen=True)
class Source:
    kind: SourceKind
    id: str
    title: str
    url: str | None = None


@dataclass(frozen=True)
class Reply:
    """A composed answer before timing: text, sources, and how sure the engine is."""

    text: str
    sources: tuple[Source, ...] = ()
    confidence: float = 1.0
    answered: bool = True
    route: str = ""
    refs: tuple[str, ...] = ()  # the rows it states, "target:id" (e.g. "deliverable:homework-2")


@dataclass(frozen=True)
class Answer:
    q: str
    answer: str
    answered: bool
    confidence: float
    sources: list[Source] = field(default_factory=list)
    ms: float = 0.0
    route: str = ""
    refs: tuple[str, ...] = ()

    def to_json(self) -> dict:
        data = asdict(self)
        data["confidence"] = round(self.confidence, 3)
        data["ms"] = round(self.ms, 2)
        data.pop("route")
        data.pop("refs")
        return data
