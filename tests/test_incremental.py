"""Incremental `analyze`: a store keeps its story index and per-story results, so a later run encodes,
scores and traces only what changed, and ends with the stories a from-scratch run over everything gives."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pytest

import wiretrace.pipeline as pipeline
import wiretrace.stories as stories_module
from wiretrace.config import Settings
from wiretrace.data import Article
from wiretrace.pipeline import LAST_RUN_STATE, analyze_store, analyze_stored
from wiretrace.store import INDEX_STATE, STORIES_STATE, Store
from wiretrace.stories import StoryIndex, group

HASH = Settings(encoder="hash")
INPUT_SUFFIXES = (".html", ".gz", ".jsonl", ".txt")


def example_files(examples_dir: Path) -> list[Path]:
    return sorted(p for p in examples_dir.iterdir() if p.is_file() and p.suffix in INPUT_SUFFIXES)


def story_dicts(stories) -> list[dict]:
    return [s.to_dict() for s in stories]


@pytest.fixture
def counters(monkeypatch) -> dict[str, int]:
    """How many articles had features computed and how many stories ran through the per-story stages."""
    seen = {"featured": 0, "traced": 0}
    compute, process = stories_module.compute_features, pipeline.process_story

    def counting_features(articles, *args, **kwargs):
        seen["featured"] += len(articles)
        return compute(articles, *args, **kwargs)

    def counting_process(story, *args, **kwargs):
        seen["traced"] += 1
        return process(story, *args, **kwargs)

    monkeypatch.setattr(stories_module, "compute_features", counting_features)
    monkeypatch.setattr(pipeline, "process_story", counting_process)
    return seen


def test_examples_in_two_runs_equal_one_run(examples_dir, tmp_path, counters):
    files = example_files(examples_dir)
    settings = Settings()
    with Store(tmp_path / "one.duckdb") as st:
        whole, _ = analyze_store(st, files, settings)
    counters.update(featured=0, traced=0)
    with Store(tmp_path / "two.duckdb") as st:
        analyze_store(st, files[::2], settings)
        first = dict(counters)
        halves, result = analyze_store(st, files[1::2], settings)
    run = result.stories
    assert story_dicts(halves.stories) == story_dicts(whole.stories)
    assert [a.id for a in halves.articles] != [] and sorted(a.id for a in halves.articles) == sorted(
        a.id for a in whole.articles
    )
    # the second run encoded only the articles the first had not, and reused at least one story
    assert run.rebuild == "" and run.indexed == first["featured"] > 0
    assert counters["featured"] - first["featured"] == run.encoded == len(whole.articles) - run.indexed
    assert counters["traced"] - first["traced"] == run.traced < len(whole.stories)
    assert run.unchanged + run.traced == len(whole.stories) and run.unchanged >= 1


def test_a_run_with_nothing_new_recomputes_nothing(examples_dir, tmp_path, counters):
    with Store(tmp_path / "s.duckdb") as st:
        first, _ = analyze_store(st, example_files(examples_dir), HASH)
        counters.update(featured=0, traced=0)
        again, result = analyze_store(st, [], HASH)
        logged = json.loads(st.get_state(LAST_RUN_STATE))
    assert counters == {"featured": 0, "traced": 0}
    run = result.stories
    assert (run.encoded, run.traced, run.changed, run.rebuild) == (0, 0, 0, "")
    assert run.unchanged == len(first.stories) and run.indexed == len(first.articles)
    assert logged == run.to_dict()
    assert story_dicts(again.stories) == story_dicts(first.stories)


def test_a_changed_setting_rebuilds_everything(examples_dir, tmp_path, counters):
    files = example_files(examples_dir)
    with Store(tmp_path / "s.duckdb") as st:
        analyze_store(st, files, HASH)
        counters.update(featured=0, traced=0)
        changed = Settings(encoder="hash", template_min_articles=HASH.template_min_articles + 1)
        report, result = analyze_store(st, [], changed)
    run = result.stories
    assert "settings" in run.rebuild
    assert counters["featured"] == run.encoded == len(report.articles)
    assert counters["traced"] == run.traced == len(report.stories) and run.unchanged == 0
    with Store(tmp_path / "scratch.duckdb") as st:
        scratch, _ = analyze_store(st, files, changed)
    assert story_dicts(report.stories) == story_dicts(scratch.stories)


def test_other_code_rebuilds(examples_dir, tmp_path, monkeypatch):
    """An edited checkout keeps its version number but may trace differently: its results are not reused."""
    with Store(tmp_path / "s.duckdb") as st:
        analyze_store(st, example_files(examples_dir), HASH)
        monkeypatch.setattr(pipeline, "code_digest", lambda: "other code")
        _, result = analyze_store(st, [], HASH)
    assert "code" in result.stories.rebuild and result.stories.unchanged == 0


def test_rebuild_flag_recomputes_and_gives_the_same_stories(examples_dir, tmp_path, counters):
    with Store(tmp_path / "s.duckdb") as st:
        first, _ = analyze_store(st, example_files(examples_dir), HASH)
        counters.update(featured=0, traced=0)
        again, result = analyze_store(st, [], HASH, rebuild=True)
    assert result.stories.rebuild == "asked to rebuild"
    assert counters["traced"] == len(first.stories) and counters["featured"] == len(first.articles)
    assert story_dicts(again.stories) == story_dicts(first.stories)


def test_a_store_from_before_the_index_tables_rebuilds(examples_dir, tmp_path):
    files = example_files(examples_dir)
    path = tmp_path / "old.duckdb"
    with Store(path) as st:
        first, _ = analyze_store(st, files, HASH)
        # what a store written before the index existed looks like
        for table in ("story_index", "story_index_pairs", "story_index_templates"):
            st.con.execute(f"DROP TABLE {table}")
        st.con.execute("DELETE FROM meta WHERE key IN (?, ?)", [INDEX_STATE, STORIES_STATE])
        st.con.execute("UPDATE meta SET value = '1' WHERE key = 'schema_version'")
    with Store(path) as st:
        assert st.get_state("schema_version") == "2"
        again, result = analyze_store(st, [], HASH)
        assert result.stories.rebuild == "no stored index" and result.stories.traced == len(first.stories)
        assert story_dicts(again.stories) == story_dicts(first.stories)
        _, result = analyze_store(st, [], HASH)
    assert result.stories.rebuild == "" and result.stories.traced == 0


def test_stories_saved_without_their_index_are_not_reused(examples_dir, tmp_path, counters):
    """Another writer of stories (the Spark engine, `Store.save_stories` alone) leaves the features
    valid but not the per-story results: the next run re-traces every story, encodes nothing."""
    with Store(tmp_path / "s.duckdb") as st:
        first, _ = analyze_store(st, example_files(examples_dir), HASH)
        st.save_stories(first.stories)
        counters.update(featured=0, traced=0)
        again, result = analyze_store(st, [], HASH)
    assert counters == {"featured": 0, "traced": len(first.stories)}
    assert result.stories.rebuild == "" and result.stories.unchanged == 0
    assert story_dicts(again.stories) == story_dicts(first.stories)


def test_an_unreadable_index_is_rebuilt(examples_dir, tmp_path):
    with Store(tmp_path / "s.duckdb") as st:
        first, _ = analyze_store(st, example_files(examples_dir), HASH)
        st.con.execute("INSERT INTO story_index SELECT * FROM story_index LIMIT 1")  # a repeated row
        again, result = analyze_store(st, [], HASH)
    assert result.stories.rebuild.startswith("stored index unreadable")
    assert story_dicts(again.stories) == story_dicts(first.stories)


# -- a template that appears only once new articles arrive ---------------------------------------------

FOOTER = "Subscribe to the Valley Courier for local reporting you can trust every single morning."
EVENTS = [
    ("A freight train derailed near Millbrook on Tuesday, spilling grain across the tracks. "
     "Crews from Harlow County worked through the night to clear 14 cars. "
     "No injuries were reported, officials said."),
    ("The Millbrook city council voted 5-2 to approve a new library budget of 3.2 million dollars. "
     "Mayor Dana Whitfield said construction would begin in April. "
     "Opponents questioned the cost of the parking garage."),
    ("A storm dropped 40 centimetres of snow on Ridgeford overnight, closing 12 schools. "
     "The regional weather office warned of icy roads through Friday. "
     "Power was restored to most homes by noon."),
]


def courier_records(numbers: list[int]) -> list[dict]:
    """Articles of one outlet that all end with the same footer paragraph (a page template)."""
    out = []
    for k in numbers:
        body = EVENTS[k % len(EVENTS)]
        out.append({
            "id": f"courier-{k}", "outlet": "valleycourier.example", "published": f"2024-03-0{k + 1}",
            "title": body.split(". ")[0], "text": f"{body}\n\nReported for edition {k}.\n\n{FOOTER}",
        })
    return out


def write_jsonl(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def test_old_articles_whose_template_changed_are_re_encoded(tmp_path, counters):
    settings = Settings(encoder="hash", template_min_articles=3)
    first_day = write_jsonl(tmp_path / "day1.jsonl", courier_records([0, 1]))  # footer in 2 articles: kept
    second_day = write_jsonl(tmp_path / "day2.jsonl", courier_records([2, 3]))  # now in 4: a template
    with Store(tmp_path / "two.duckdb") as st:
        before, _ = analyze_store(st, [first_day], settings)
        assert all(FOOTER in a.text for a in before.articles)
        counters.update(featured=0, traced=0)
        after, result = analyze_store(st, [second_day], settings)
    assert all(FOOTER not in a.text for a in after.articles)
    run = result.stories
    assert (run.changed, run.indexed, run.encoded) == (2, 0, 4)
    assert counters["featured"] == 4
    with Store(tmp_path / "one.duckdb") as st:
        scratch, _ = analyze_store(st, [first_day, second_day], settings)
    assert story_dicts(after.stories) == story_dicts(scratch.stories)


# -- the index's own round trip and row removal -------------------------------------------------------


def article(aid: str, text: str, published: str | None = None) -> Article:
    return Article(id=aid, source=aid, content_hash=aid, text=text, language="en", outlet=aid.split("-")[0],
                   published=published)


def corpus() -> list[Article]:
    out = []
    for k, body in enumerate(EVENTS):
        out.append(article(f"wire-{k}", body, f"2024-03-0{k + 1}"))
        out.append(article(f"copy-{k}", body + " More details to follow.", f"2024-03-0{k + 1}"))
        out.append(article(f"brief-{k}", body.split(". ")[0] + ".", f"2024-03-0{k + 2}"))
    return out


def test_index_tables_round_trip(tmp_path):
    index = StoryIndex(dim=512)
    group(corpus(), HASH, index)
    index.set_fingerprints({a: f"fp-{a}" for a in index.ids})
    # written as the pipeline writes it: tables of a few rows, each made when asked for
    batches = [b for table in index.rows_arrow_batches(size=4) for b in table.to_batches()]
    assert pa.Table.from_batches(batches).equals(index.rows_arrow())
    loaded = StoryIndex.from_arrow(batches, index.pairs_arrow(), index.dim, index.encoder, len(index))
    assert loaded.ids == index.ids and loaded.fingerprints == index.fingerprints
    assert sorted(loaded.pairs.items()) == sorted(index.pairs.items())
    for name in ("day", "n_shingles", "signatures", "anchor_signatures", "anchor_vals", "anchor_ptr",
                 "number_vals", "number_ptr", "lead_number_vals", "lead_number_ptr", "chunks", "n_chunks", "sum_norms"):
        assert (getattr(loaded, name) == getattr(index, name)).all(), name
    assert story_dicts(stories_module.stories_of(loaded)) == story_dicts(stories_module.stories_of(index))


def test_removed_rows_re_added_give_the_from_scratch_stories():
    articles = corpus()
    scratch = group(articles, HASH)
    index = StoryIndex(dim=512)
    group(articles, HASH, index)
    index.persisted = len(index)
    gone = ["copy-1", "wire-0", "brief-2"]
    assert index.remove([*gone, "not-indexed"]) == 3
    assert sorted(index.dropped) == sorted(gone) and index.persisted == len(articles) - 3
    assert all(a not in index.row for a in gone) and len(index.fingerprints) == len(index.ids)
    for (a, b), _ in index.pairs.items():
        assert a in index.row and b in index.row and a < b
    again = group(articles, HASH, index)
    assert story_dicts(again) == story_dicts(scratch)


def test_stored_story_with_other_grouping_is_not_reused(examples_dir, tmp_path, counters):
    """A stored story is reused only if its members and grouping fields are exactly the new ones."""
    with Store(tmp_path / "s.duckdb") as st:
        first, _ = analyze_store(st, example_files(examples_dir), HASH)
        target = first.stories[0]
        data = target.to_dict()
        data["label"] = data["label"] + " (edited)"
        st.con.execute("UPDATE stories SET data = ? WHERE id = ?", [json.dumps(data), target.id])
        counters.update(featured=0, traced=0)
        _, stories, run = analyze_stored(st, HASH)
    assert counters["traced"] == 1 and run.traced == 1
    assert story_dicts(stories) == story_dicts(first.stories)


def test_central_article_ignores_fill_in_scores_outside_filled_components():
    """An index grown over runs keeps fill-in scores from when a component was small; once it has
    outgrown FILL_LIMIT a from-scratch index has none of them, so the story label must not read them."""
    index = StoryIndex(dim=512)
    group(corpus()[:3], HASH, index)
    a, b, c = sorted(index.ids)
    index.pairs[(a, b)] = (0.9, False)  # a fill-in score
    index.pairs[(a, c)] = (0.2, True)
    index.pairs[(b, c)] = (0.3, True)
    assert stories_module._central(index, [a, b, c], filled=True) == b
    assert stories_module._central(index, [a, b, c], filled=False) == c


def near_copies(n: int) -> list[Article]:
    """`n` versions of one event (sentences dropped and padded at random): more than SEMANTIC_K
    neighbours each, so adding articles changes which pairs the nearest-neighbour search proposes."""
    import random

    rng = random.Random(4)
    sentences = [s + "." for s in " ".join(EVENTS).split(". ") if s]
    out = []
    for k in range(n):
        kept = [s for s in sentences if rng.random() < 0.7] or sentences[:2]
        out.append(article(f"v{k:03d}", " ".join(kept) + f" Filed as version {k}.", "2024-03-02"))
    return out


def candidates(index: StoryIndex) -> set[tuple[str, str]]:
    return {pair for pair, (_, candidate) in index.pairs.items() if candidate}


def test_candidates_after_adding_articles_are_those_of_a_from_scratch_index():
    articles = near_copies(90)
    scratch = StoryIndex(dim=512)
    expected = group(articles, HASH, scratch)
    grown = StoryIndex(dim=512)
    group(articles[::3], HASH, grown)
    got = group(articles, HASH, grown)
    assert candidates(grown) == candidates(scratch)
    assert story_dicts(got) == story_dicts(expected)
