"""The bundled example corpus groups into exactly the stories of its hand-made TRUTH.json."""

from __future__ import annotations

import json

from wiretrace.clean import clean_document, remove_templates
from wiretrace.config import Settings
from wiretrace.data import InputError
from wiretrace.ingest import read_paths
from wiretrace.stories import group


def test_examples_form_the_true_stories(examples_dir):
    settings = Settings()
    articles = [clean_document(d, settings) for d in read_paths([examples_dir], settings)]
    assert not [a for a in articles if isinstance(a, InputError)]
    stories = group(remove_templates(articles, settings), settings)
    truth = json.loads((examples_dir / "TRUTH.json").read_text(encoding="utf-8"))
    expected = sorted(sorted(s["articles"]) for s in truth["stories"])
    assert sorted(s.articles for s in stories) == expected
    ferry = next(s for s in stories if len(s.articles) == max(len(x.articles) for x in stories))
    assert set(ferry.languages) == {"en", "es"}
    assert ferry.first_published and ferry.first_published.startswith("2025-03-1")
