"""wiretrace: trace how a news story travels."""

from __future__ import annotations

__version__ = "0.1.0"
