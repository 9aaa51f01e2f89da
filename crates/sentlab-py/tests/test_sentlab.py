"""The Python package against the command line: the same input gives the same tables.

The command line is `target/release/sentlab` of this repository (built by
`cargo test --release`), or the binary named by the SENTLAB_BIN environment variable.
Every fixture is made in a temporary directory from the bundled sample
(datasets/sample) and the default rule pack (datasets/rules/propaganda.toml).
"""

import json
import os
import subprocess
import warnings
from pathlib import Path

import pyarrow as pa
import pyarrow.ipc
import pytest

import sentlab

ROOT = Path(__file__).resolve().parents[3]
SAMPLE = ROOT / "datasets" / "sample"
RULES = ROOT / "datasets" / "rules" / "propaganda.toml"
BIN = Path(os.environ.get("SENTLAB_BIN", ROOT / "target" / "release" / "sentlab"))


def run_cli(*args):
    subprocess.run([str(BIN), "--quiet", *map(str, args)], check=True)


def read_arrow(path):
    with pa.ipc.open_file(path) as f:
        return f.read_all()


def article_id(stem):
    # The command line's id of a text article: the file stem, a leading `article` before
    # digits dropped (none of the sample's names has one).
    return stem


def sample_articles():
    """The sample's articles as JSON Lines records: the first line as the title, the rest
    (blank lines after the title dropped) as the text; plus one article without a title
    and one whose title is blank, to cover both."""
    records = []
    for path in sorted((SAMPLE / "articles").glob("*.txt")):
        with open(path, encoding="utf-8", newline="") as f:
            content = f.read()
        title, _, body = content.partition("\n")
        records.append({"id": article_id(path.stem), "title": title, "text": body.lstrip("\n")})
    records.append({"id": "untitled", "title": None, "text": "No title here. Two sentences!"})
    records.append({"id": "blank-title", "title": "  ", "text": "A body only."})
    return records


@pytest.fixture(scope="module")
def cli(tmp_path_factory):
    """The command line's tables on the sample: sentences, predictions, gold, report."""
    d = tmp_path_factory.mktemp("cli")
    records = sample_articles()
    with open(d / "articles.jsonl", "w", encoding="utf-8", newline="") as f:
        for r in records:
            f.write(json.dumps(r) + "\n")
    run_cli("split", d / "articles.jsonl", "-o", d / "sentences.arrow")
    run_cli("extract", "--rules", RULES, d / "sentences.arrow", "-o", d / "pred.arrow")
    labels = sorted((SAMPLE / "labels").glob("*.csv"))
    run_cli(
        "labels", "merge", "--sentences", d / "sentences.arrow", *labels,
        "--schema", ROOT / "datasets" / "labels.toml", "-o", d / "gold.arrow",
    )
    run_cli(
        "eval", "--sentences", d / "sentences.arrow", "--gold", d / "gold.arrow",
        "--pred", d / "pred.arrow", "-o", d / "report.arrow",
    )
    return {
        "dir": d,
        "records": records,
        "sentences": read_arrow(d / "sentences.arrow"),
        "pred": read_arrow(d / "pred.arrow"),
        "gold": read_arrow(d / "gold.arrow"),
        "report": read_arrow(d / "report.arrow"),
    }


def assert_same_table(got, expected):
    assert got.column_names == expected.column_names
    assert got.schema.types == expected.schema.types
    got_rows, expected_rows = got.to_pylist(), expected.to_pylist()
    assert len(got_rows) == len(expected_rows)
    for i, (g, e) in enumerate(zip(got_rows, expected_rows)):
        assert g == e, f"row {i}"
    assert got.equals(expected)


def test_split_gives_the_sentence_table_of_the_cli(cli):
    got = sentlab.split(pa.Table.from_pylist(cli["records"]))
    assert len(got) > 100
    assert_same_table(got, cli["sentences"])


def test_split_reads_a_record_batch_and_chunked_tables_alike(cli):
    table = pa.Table.from_pylist(cli["records"])
    batch = table.to_batches()[0]
    assert_same_table(sentlab.split(batch), cli["sentences"])
    # Two chunks of 3 rows and the rest: the rows are read in order across chunks.
    chunked = pa.Table.from_batches(table.to_batches(max_chunksize=3))
    assert chunked.column("text").num_chunks > 1
    assert_same_table(sentlab.split(chunked), cli["sentences"])


def test_split_of_one_article_by_hand():
    # "T" is code point 0..1, "\n\n" 1..3, "One." 3..7, " " 7, "Two?" 8..12.
    got = sentlab.split(pa.table({"id": [7], "title": ["T"], "text": ["One. Two?"]}))
    assert got.to_pylist() == [
        {"article_id": "7", "sentence_id": "7:0", "index": 0, "paragraph": 0,
         "kind": "title", "start": 0, "end": 1, "text": "T"},
        {"article_id": "7", "sentence_id": "7:1", "index": 1, "paragraph": 1,
         "kind": "body", "start": 3, "end": 7, "text": "One."},
        {"article_id": "7", "sentence_id": "7:2", "index": 2, "paragraph": 1,
         "kind": "body", "start": 8, "end": 12, "text": "Two?"},
    ]


def test_extract_gives_the_predictions_of_the_cli(cli):
    rules = sentlab.Rules.load(RULES)
    assert len(rules) > 10
    got = rules.extract(cli["sentences"])
    assert len(got) > 10
    assert_same_table(got, cli["pred"])


def test_evaluate_gives_the_report_of_the_cli(cli):
    got = sentlab.evaluate(cli["sentences"], cli["gold"], cli["pred"])
    assert [r["row"] for r in got.to_pylist()][-4:] == ["micro", "macro", "weighted", "any"]
    assert_same_table(got, cli["report"])


def test_the_whole_loop_in_python_matches_the_cli(cli):
    sentences = sentlab.split(pa.Table.from_pylist(cli["records"]))
    pred = sentlab.Rules.load(str(RULES)).extract(sentences)
    report = sentlab.evaluate(sentences, cli["gold"], pred, level="sentence")
    assert_same_table(report, cli["report"])


# Bad input: the exact messages.


def test_a_missing_column_is_a_value_error_naming_it():
    with pytest.raises(ValueError) as e:
        sentlab.split(pa.table({"id": ["a"], "body": ["x"]}))
    assert str(e.value) == (
        "articles: expected columns `id` and `text` (title optional `title`), found: id, body"
    )
    rules = sentlab.Rules.load(RULES)
    with pytest.raises(ValueError) as e:
        rules.extract(pa.table({"sentence_id": ["a:0"], "text": ["x"]}))
    assert str(e.value) == (
        "sentences: missing column(s) article_id, index, paragraph, kind, start, end "
        "(expected article_id,sentence_id,index,paragraph,kind,start,end,text; "
        "found sentence_id,text)"
    )
    s = pa.table({"sentence_id": ["a:0"]})
    with pytest.raises(ValueError) as e:
        sentlab.evaluate(s, pa.table({"sentence_id": ["a:0"]}), pa.table({"sentence_id": [], "label": []}))
    assert str(e.value) == (
        "gold: missing column(s) label (expected sentence_id,label; found sentence_id)"
    )


def test_a_mistyped_column_is_a_value_error_naming_it(cli):
    with pytest.raises(ValueError) as e:
        sentlab.split(pa.table({"id": ["a"], "text": [3]}))
    assert str(e.value) == (
        "articles: column `text`: expected strings (string or large_string), found Int64"
    )
    sentences = cli["sentences"].set_column(
        5, "start", pa.array([str(v) for v in cli["sentences"]["start"].to_pylist()])
    )
    with pytest.raises(ValueError) as e:
        sentlab.Rules.load(RULES).extract(sentences)
    assert str(e.value) == "sentences: column `start`: expected integers, found Utf8"


def test_bad_values_name_the_row():
    with pytest.raises(ValueError) as e:
        sentlab.split(pa.table({"id": ["a", None], "text": ["x", "y"]}))
    assert str(e.value) == (
        "articles row 1: expected a string or number field `id` (the article id)"
    )
    with pytest.raises(ValueError) as e:
        sentlab.split(pa.table({"id": ["a", " "], "text": ["x", "y"]}))
    assert str(e.value) == "articles row 1: empty `id` (expected a non-empty article id)"
    with pytest.raises(ValueError) as e:
        sentlab.split(pa.table({"id": ["a", "b", "a"], "text": ["x", "y", "z"]}))
    assert str(e.value) == (
        "duplicate article id `a`: in articles row 0 and in articles row 2 "
        "(article ids must be unique)"
    )
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        got = sentlab.split(pa.table({"id": ["a", "b"], "text": ["x", "  "]}))
    assert len(got) == 1
    assert [str(x.message) for x in w] == ["articles row 1: empty article (no sentences)"]


def test_an_unreadable_rules_path_is_an_os_error(tmp_path):
    missing = tmp_path / "missing.toml"
    with pytest.raises(OSError) as e:
        sentlab.Rules.load(missing)
    assert isinstance(e.value, FileNotFoundError)
    assert str(e.value) == (
        f"{missing}: cannot read rules: No such file or directory (os error 2)"
    )


def test_a_bad_rule_pack_is_a_value_error(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(ValueError) as e:
        sentlab.Rules.load(empty)
    assert str(e.value) == (
        f"{empty}: no rule files (expected a .toml file or a directory of them)"
    )
    bad = tmp_path / "bad.toml"
    bad.write_text("this is not toml =", encoding="utf-8")
    with pytest.raises(ValueError) as e:
        sentlab.Rules.load(bad)
    assert str(e.value).endswith("\n1 problem(s) in the rules")
    assert str(e.value).startswith(str(bad))


# Any object of the Arrow PyCapsule interface is read, and nothing else.


class StreamOnly:
    """An object that only exports an Arrow C stream (as polars and others do)."""

    def __init__(self, table):
        self.table = table

    def __arrow_c_stream__(self, requested_schema=None):
        return self.table.__arrow_c_stream__(requested_schema)


class ArrayOnly:
    """An object that only exports one Arrow C array (a struct array of the columns)."""

    def __init__(self, batch):
        self.batch = batch

    def __arrow_c_array__(self, requested_schema=None):
        return self.batch.__arrow_c_array__(requested_schema)


def test_split_reads_any_arrow_stream_or_array_object(cli):
    table = pa.Table.from_pylist(cli["records"])
    chunked = pa.Table.from_batches(table.to_batches(max_chunksize=4))
    assert_same_table(sentlab.split(StreamOnly(chunked)), cli["sentences"])
    assert_same_table(sentlab.split(ArrayOnly(table.to_batches()[0])), cli["sentences"])
    reader = pa.RecordBatchReader.from_batches(chunked.schema, chunked.to_batches())
    assert_same_table(sentlab.split(reader), cli["sentences"])


def test_a_non_arrow_object_is_a_type_error_naming_the_table():
    with pytest.raises(TypeError) as e:
        sentlab.split({"id": ["a"], "text": ["x"]})
    assert str(e.value) == (
        "articles: expected an Arrow table (a pyarrow Table or RecordBatch, or an object "
        "with __arrow_c_stream__), found dict"
    )


def test_an_array_that_is_not_a_table_is_a_value_error():
    with pytest.raises(ValueError) as e:
        sentlab.split(pa.array(["x"]))
    assert str(e.value) == (
        "articles: expected a table (a struct array of columns), found an array of Utf8"
    )


# merge: annotators' long label tables to gold and agreement, as `labels merge`.


def long_rows(path):
    """An annotator file of the sample as long rows (sentence_id, label, annotator): a
    long CSV as it is; a wide CSV (one 0/1 column per label) as one row per 1 cell, and a
    row with an empty label for a sentence seen without a label (as the command line
    counts it)."""
    import csv

    with open(path, encoding="utf-8", newline="") as f:
        records = list(csv.DictReader(f))
    rows = []
    for r in records:
        sid = r.pop("sentence_id")
        if "label" in r:
            rows.append({"sentence_id": sid, "label": r["label"], "annotator": path.stem})
            continue
        yes = [label for label, cell in r.items() if cell.strip() == "1"]
        for label in yes or [""]:
            rows.append({"sentence_id": sid, "label": label, "annotator": path.stem})
    return pa.Table.from_pylist(rows)


def test_merge_gives_the_gold_and_agreement_of_the_cli(cli, tmp_path):
    labels = sorted((SAMPLE / "labels").glob("*.csv"))
    schema = ROOT / "datasets" / "labels.toml"
    sentences = tmp_path / "sentences.arrow"
    with pa.ipc.new_file(sentences, cli["sentences"].schema) as w:
        w.write_table(cli["sentences"])
    for strategy in ["majority", "any"]:
        run_cli(
            "labels", "merge", "--sentences", sentences, *labels, "--schema", schema,
            "--strategy", strategy, "-o", tmp_path / "gold.arrow",
            "--report", tmp_path / "agreement.json",
        )
        gold, agreement = sentlab.merge(
            cli["sentences"], [long_rows(p) for p in labels], schema=schema,
            strategy=strategy,
        )
        assert len(gold) > 10
        assert_same_table(gold, read_arrow(tmp_path / "gold.arrow"))
        with open(tmp_path / "agreement.json", encoding="utf-8") as f:
            assert agreement == json.load(f)
    # With bootstrap intervals: the same intervals as the command line's for the seed.
    run_cli(
        "labels", "merge", "--sentences", sentences, *labels, "--schema", schema,
        "-o", tmp_path / "gold.arrow", "--report", tmp_path / "agreement.json",
        "--bootstrap", "300", "--seed", "9",
    )
    _, agreement = sentlab.merge(
        cli["sentences"], [long_rows(p) for p in labels], schema=schema,
        bootstrap=300, seed=9,
    )
    with open(tmp_path / "agreement.json", encoding="utf-8") as f:
        expected = json.load(f)
    assert expected["bootstrap"]["replicates"] == 300
    assert expected["overall"]["fleiss_kappa"]["ci"] is not None
    assert agreement == expected
    with pytest.raises(ValueError, match="seed chooses the bootstrap's draws"):
        sentlab.merge(cli["sentences"], [long_rows(labels[0])], seed=9)
    with pytest.raises(ValueError, match="bootstrap=5: expected 100 to 100000 resamples"):
        sentlab.merge(cli["sentences"], [long_rows(labels[0])], bootstrap=5)


def test_merge_of_three_annotators_by_hand():
    # s:0 is labelled X by a and b, Y by c; all three saw s:0 and s:1 (one article).
    # Majority: X has 2 of 3 votes (gold), Y 1 of 3 (not gold); s:1 has no label.
    sentences = pa.table({
        "article_id": ["s", "s"], "sentence_id": ["s:0", "s:1"],
        "start": [0, 5], "end": [4, 9],
    })
    tables = [
        pa.table({"sentence_id": ["s:0", "s:1"], "label": ["X", None], "annotator": [n, n]})
        for n in ["a", "b"]
    ] + [pa.table({"sentence_id": ["s:0"], "label": ["Y"], "annotator": ["c"]})]
    gold, agreement = sentlab.merge(sentences, tables)
    assert gold.to_pylist() == [
        {"sentence_id": "s:0", "label": "X", "votes": 2, "annotators": "a;b"},
    ]
    assert isinstance(agreement, dict)
    gold, _ = sentlab.merge(sentences, tables, strategy="any")
    assert [(r["label"], r["votes"]) for r in gold.to_pylist()] == [("X", 2), ("Y", 1)]


def test_merge_bad_input_is_a_value_error_naming_it():
    sentences = pa.table({
        "article_id": ["s"], "sentence_id": ["s:0"], "start": [0], "end": [4],
    })
    with pytest.raises(ValueError) as e:
        sentlab.merge(sentences, [pa.table({"sentence_id": ["s:0"], "label": ["X"]})])
    assert str(e.value) == (
        "annotators[0]: missing column(s) annotator "
        "(expected sentence_id,label,annotator; found sentence_id,label)"
    )
    with pytest.raises(ValueError) as e:
        sentlab.merge(pa.table({"sentence_id": ["s:0"]}), [])
    assert str(e.value) == (
        "sentences: missing column(s) article_id, start, end "
        "(expected article_id,sentence_id,start,end; found sentence_id)"
    )
    with pytest.raises(ValueError) as e:
        sentlab.merge(sentences, [], strategy="min-votes")
    assert str(e.value) == 'strategy="min-votes" needs min_votes=K'


# evaluate_partial and combine: the partial results of `eval --partial` and `combine`.


def cli_text(*args):
    return subprocess.run(
        [str(BIN), "--quiet", *map(str, args)], check=True, capture_output=True
    ).stdout.decode("utf-8")


def by_articles(table, articles):
    """The rows of `table` whose sentence id is in one of `articles`."""
    keep = [sid.rpartition(":")[0] in articles for sid in table["sentence_id"].to_pylist()]
    return table.filter(pa.array(keep))


def test_evaluate_partial_is_the_partial_of_the_cli(cli):
    d = cli["dir"]
    run_cli(
        "eval", "--sentences", d / "sentences.arrow", "--gold", d / "gold.arrow",
        "--pred", d / "pred.arrow", "--partial", d / "all.partial.json",
        "-o", d / "unused.json",
    )
    got = sentlab.evaluate_partial(cli["sentences"], cli["gold"], cli["pred"])
    assert isinstance(got, str)
    assert got == (d / "all.partial.json").read_bytes().decode("utf-8")


def test_evaluate_partial_of_two_articles_by_hand():
    # Article a: a:0 gold X and predicted X (tp), a:1 unlabelled. Article b: b:0 predicted
    # X, no gold (fp). Per article: [tp, fp, fn] of X, then of "any label": a [1,0,0]
    # twice, b [0,1,0] twice; articles in the order of their ids.
    sentences = pa.table({"sentence_id": ["b:0", "a:0", "a:1"]})
    gold = pa.table({"sentence_id": ["a:0"], "label": ["X"]})
    pred = pa.table({"sentence_id": ["a:0", "b:0"], "label": ["X", "X"]})
    got = sentlab.evaluate_partial(sentences, gold, pred)
    assert got == (
        '{"sentlab_partial":1,"level":"sentence","match":null,"min_overlap_fraction":null,'
        '"labels_option":null,"schema":null,"labels":["X"],'
        '"articles":[{"id":"a","counts":[[1,0,0],[1,0,0]]},'
        '{"id":"b","counts":[[0,1,0],[0,1,0]]}]}\n'
    )


def test_combine_gives_the_report_of_one_eval_and_of_the_cli(cli):
    d = cli["dir"]
    ids = sorted({r["id"] for r in cli["records"]})
    shards = [set(ids[0::2]), set(ids[1::2])]
    partials = []
    for k, shard in enumerate(shards):
        sentences = by_articles(cli["sentences"], shard)
        partial = sentlab.evaluate_partial(
            sentences, by_articles(cli["gold"], shard), by_articles(cli["pred"], shard)
        )
        (d / f"shard{k}.partial.json").write_text(partial, encoding="utf-8", newline="")
        partials.append(partial)
    files = [d / "shard0.partial.json", d / "shard1.partial.json"]
    whole = ["--sentences", d / "sentences.arrow", "--gold", d / "gold.arrow",
             "--pred", d / "pred.arrow"]
    for fmt in ["json", "csv", "table", "markdown"]:
        for extra in [[], ["--sort", "label"], ["--bootstrap", "200", "--seed", "7"]]:
            got = sentlab.combine(
                partials, format=fmt,
                sort="label" if "--sort" in extra else "support",
                bootstrap=200 if "--bootstrap" in extra else None,
                seed=7 if "--seed" in extra else None,
            )
            assert got == cli_text("combine", *files, "--format", fmt, *extra), (fmt, extra)
            assert got == cli_text("eval", *whole, "--format", fmt, *extra), (fmt, extra)
    report = json.loads(sentlab.combine(partials))
    assert {"labels", "micro", "macro", "weighted", "any"} <= set(report)


def test_combine_of_two_partials_by_hand():
    # Shard 1: article a, a:0 gold X predicted X (tp). Shard 2: article b, b:0 gold X
    # not predicted (fn), b:1 predicted X without gold (fp). Combined: tp 1, fp 1, fn 1,
    # precision 1/2, recall 1/2.
    one = sentlab.evaluate_partial(
        pa.table({"sentence_id": ["a:0"]}),
        pa.table({"sentence_id": ["a:0"], "label": ["X"]}),
        pa.table({"sentence_id": ["a:0"], "label": ["X"]}),
    )
    two = sentlab.evaluate_partial(
        pa.table({"sentence_id": ["b:0", "b:1"]}),
        pa.table({"sentence_id": ["b:0"], "label": ["X"]}),
        pa.table({"sentence_id": ["b:1"], "label": ["X"]}),
    )
    report = json.loads(sentlab.combine([one, two]))
    [x] = report["labels"]
    assert (x["label"], x["tp"], x["fp"], x["fn"]) == ("X", 1, 1, 1)
    assert x["precision"] == 0.5 and x["recall"] == 0.5


def test_combine_refuses_bad_partials_naming_them():
    one = sentlab.evaluate_partial(
        pa.table({"sentence_id": ["a:0"]}),
        pa.table({"sentence_id": ["a:0"], "label": ["X"]}),
        pa.table({"sentence_id": [], "label": []}, schema=pa.schema(
            [("sentence_id", pa.string()), ("label", pa.string())])),
    )
    with pytest.raises(ValueError) as e:
        sentlab.combine([one, one])
    assert "partials[0]" in str(e.value) and "partials[1]" in str(e.value)
    assert "`a`" in str(e.value)
    with pytest.raises(ValueError) as e:
        sentlab.combine(["{}"])
    assert str(e.value) == (
        "partials[0]: not a partial result of `eval --partial` (no `sentlab_partial` version)"
    )
    with pytest.raises(ValueError) as e:
        sentlab.combine([])
    assert str(e.value).startswith("partials: expected at least one partial result")
    with pytest.raises(ValueError) as e:
        sentlab.combine([one], format="xml")
    assert str(e.value) == 'format="xml": expected "json", "csv", "table" or "markdown"'
    with pytest.raises(ValueError) as e:
        sentlab.combine([one], bootstrap=5)
    assert str(e.value) == "bootstrap=5: expected 100 to 100000 resamples"
    with pytest.raises(ValueError) as e:
        sentlab.combine([one], seed=3)
    assert str(e.value) == "seed chooses the bootstrap's draws: it needs bootstrap=N"


# Rules.load takes a built-in pack by name, as `--rules` does.


def test_rules_load_takes_a_builtin_pack_by_name(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    rules = sentlab.Rules.load("propaganda")
    assert len(rules) == len(sentlab.Rules.load(RULES))
    assert "<built-in>" in repr(rules)
    assert_same_table(rules.extract(cli["sentences"]), cli["pred"])
    # A file of that name here wins, with a warning (the command line's note).
    (tmp_path / "propaganda").write_text(
        '[[rule]]\nid = "x"\nlabel = "X"\nregex = "x"\n', encoding="utf-8"
    )
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        mine = sentlab.Rules.load("propaganda")
    assert len(mine) == 1
    assert [str(x.message) for x in w] == [
        "rules `propaganda`: the file or directory `propaganda` here is used, not the "
        "built-in pack `propaganda` (write ./propaganda to silence this warning, or move "
        "it to use the built-in pack)"
    ]


# Span level and labels= in evaluate / evaluate_partial: a hand-made corpus written as
# PTC files (article .txt files, gold .labels files), scored by the command line and here.
#
# a1.txt "Cats lie.\n\nDogs run fast. Rats bite.\n": sentences a1:0 [0, 9) (title),
#   a1:1 [11, 25), a1:2 [26, 36). a2.txt "Birds sing.\n\nFish swim fast.\n": a2:0 [0, 11)
#   (title), a2:1 [13, 28). Offsets are code points.
# Gold: a1 X [11, 25) "Dogs run fast.", a1 Y [26, 30) "Rats", a2 X [0, 5) "Birds",
#   a2 Y [13, 17) "Fish".
# Predictions: a1:1 X [11, 15) "Dogs", a1:2 Y [26, 30) "Rats", a2:0 X [6, 10) "sing",
#   a2:1 X [13, 17) "Fish" (the label is wrong).
SPAN_ARTICLES = {
    "a1": "Cats lie.\n\nDogs run fast. Rats bite.\n",
    "a2": "Birds sing.\n\nFish swim fast.\n",
}
SPAN_GOLD = {
    "a1": [("a1", "X", 11, 25), ("a1", "Y", 26, 30)],
    "a2": [("a2", "X", 0, 5), ("a2", "Y", 13, 17)],
}
SPAN_PRED = [
    ("a1:1", "X", "r1", 11, 15, "Dogs"),
    ("a1:2", "Y", "r2", 26, 30, "Rats"),
    ("a2:0", "X", "r1", 6, 10, "sing"),
    ("a2:1", "X", "r1", 13, 17, "Fish"),
]


def span_table(rows):
    return pa.table(
        {
            "article_id": [r[0] for r in rows],
            "label": [r[1] for r in rows],
            "start": pa.array([r[2] for r in rows], pa.uint64()),
            "end": pa.array([r[3] for r in rows], pa.uint64()),
        }
    )


def pred_table(rows):
    return pa.table(
        {
            "sentence_id": [r[0] for r in rows],
            "label": [r[1] for r in rows],
            "rule_id": [r[2] for r in rows],
            "start": pa.array([r[3] for r in rows], pa.uint64()),
            "end": pa.array([r[4] for r in rows], pa.uint64()),
            "match": [r[5] for r in rows],
        }
    )


def write_arrow(path, table):
    with pa.ipc.new_file(path, table.schema) as f:
        f.write_table(table)


@pytest.fixture(scope="module")
def span_cli(tmp_path_factory):
    """The corpus as PTC files, its sentence table (the command line's split), the
    predictions as an Arrow file, and the same as tables for Python; per article too."""
    d = tmp_path_factory.mktemp("span")
    for name, text in SPAN_ARTICLES.items():
        (d / "articles").mkdir(exist_ok=True)
        (d / "articles" / f"{name}.txt").write_text(text, encoding="utf-8", newline="")
        (d / "gold").mkdir(exist_ok=True)
        lines = "".join(f"{a}\t{l}\t{s}\t{e}\n" for a, l, s, e in SPAN_GOLD[name])
        (d / "gold" / f"{name}.labels").write_text(lines, encoding="utf-8", newline="")
    run_cli("split", d / "articles", "-o", d / "sentences.arrow")
    write_arrow(d / "pred.arrow", pred_table(SPAN_PRED))
    sentences = read_arrow(d / "sentences.arrow")
    gold = span_table(SPAN_GOLD["a1"] + SPAN_GOLD["a2"])
    pred = pred_table(SPAN_PRED)
    shards = []
    for name in SPAN_ARTICLES:
        keep = [a == name for a in sentences["article_id"].to_pylist()]
        shards.append(
            (
                sentences.filter(pa.array(keep)),
                span_table(SPAN_GOLD[name]),
                by_articles(pred, {name}),
            )
        )
    return {"dir": d, "sentences": sentences, "gold": gold, "pred": pred, "shards": shards}


def span_args(d):
    return ["--level", "span", "--sentences", d / "sentences.arrow", "--gold", d / "gold",
            "--pred", d / "pred.arrow"]


# The command line's flags and the keywords of the same evaluation.
SPAN_MODES = [
    ([], {}),
    (["--match", "type", "--min-overlap-fraction", "0.25"],
     {"match": "type", "min_overlap_fraction": 0.25}),
    (["--match", "strict"], {"match": "strict"}),
    (["--labels", "Y"], {"labels": "Y"}),
    (["--labels", "Y,X"], {"labels": ["Y", "X"]}),
]


def test_the_split_of_the_span_corpus_is_as_worked_out_by_hand(span_cli):
    s = span_cli["sentences"]
    assert list(zip(s["sentence_id"].to_pylist(), s["start"].to_pylist(),
                    s["end"].to_pylist())) == [
        ("a1:0", 0, 9), ("a1:1", 11, 25), ("a1:2", 26, 36), ("a2:0", 0, 11), ("a2:1", 13, 28),
    ]


def test_evaluate_at_span_level_by_hand(span_cli):
    # ptc, label X: gold X spans a1 [11, 25) (14 code points) and a2 [0, 5); predicted X
    # spans a1 [11, 15), a2 [6, 10), a2 [13, 17). Only a1 [11, 15) overlaps a gold X span,
    # by 4 code points: P = (4/4 + 0 + 0) / 3 = 1/3, R = (4/14 + 0) / 2 = 1/7,
    # F1 = 2 (1/3)(1/7) / (1/3 + 1/7) = 1/5. Label Y: a1 [26, 30) predicted exactly,
    # a2 [13, 17) not: P = 1, R = 1/2.
    report = sentlab.evaluate(
        span_cli["sentences"], span_cli["gold"], span_cli["pred"], level="span"
    )
    rows = {r["label"]: r for r in report.to_pylist()}
    x, y = rows["X"], rows["Y"]
    assert (x["predicted"], x["support"]) == (3, 2)
    assert x["precision"] == pytest.approx(1 / 3)
    assert x["recall"] == pytest.approx(1 / 7)
    assert x["f1"] == pytest.approx(1 / 5)
    assert (y["precision"], y["recall"]) == (pytest.approx(1.0), pytest.approx(0.5))
    # --match type at min-overlap 0.25: a1's X pair shares 4 of 14 gold code points
    # (>= 3.5), so it is correct; at 0.5 (4 < 7) it is not matched: X missed and spurious.
    def x_row(fraction):
        report = sentlab.evaluate(
            span_cli["sentences"], span_cli["gold"], span_cli["pred"], level="span",
            match="type", min_overlap_fraction=fraction,
        )
        return {r["label"]: r for r in report.to_pylist()}["X"]
    # (The report's count columns of --match are written as the command line writes them.)
    assert int(x_row(0.25)["correct"]) == 1
    assert int(x_row(0.5)["correct"]) == 0


@pytest.mark.parametrize("flags,keywords", SPAN_MODES)
def test_evaluate_at_span_level_gives_the_report_of_the_cli(span_cli, flags, keywords):
    d = span_cli["dir"]
    out = d / "report.arrow"
    run_cli("eval", *span_args(d), *flags, "-o", out)
    got = sentlab.evaluate(
        span_cli["sentences"], span_cli["gold"], span_cli["pred"], level="span", **keywords
    )
    assert_same_table(got, read_arrow(out))


@pytest.mark.parametrize("flags,keywords", SPAN_MODES)
def test_evaluate_partial_at_span_level_is_the_partial_of_the_cli(span_cli, flags, keywords):
    d = span_cli["dir"]
    run_cli("eval", *span_args(d), *flags, "--partial", d / "span.partial.json",
            "-o", d / "unused.json")
    got = sentlab.evaluate_partial(
        span_cli["sentences"], span_cli["gold"], span_cli["pred"], level="span", **keywords
    )
    assert got == (d / "span.partial.json").read_bytes().decode("utf-8")
    # Two shards (one article each), combined: the command line's eval of the whole.
    parts = [
        sentlab.evaluate_partial(s, g, p, level="span", **keywords)
        for s, g, p in span_cli["shards"]
    ]
    for fmt in ["json", "csv"]:
        assert sentlab.combine(parts, format=fmt) == cli_text(
            "eval", *span_args(d), *flags, "--format", fmt
        ), fmt


def test_labels_at_sentence_level_give_the_report_of_the_cli(cli):
    d = cli["dir"]
    labels = sorted({l for l in cli["gold"]["label"].to_pylist()})[:2]
    whole = ["--sentences", d / "sentences.arrow", "--gold", d / "gold.arrow",
             "--pred", d / "pred.arrow"]
    run_cli("eval", *whole, "--labels", ",".join(labels), "-o", d / "labels.arrow",
            "--partial", d / "labels.partial.json")
    expected = read_arrow(d / "labels.arrow")
    # Rows of other labels are skipped and counted, as the CLI counts them on stderr.
    outside = [
        sum(l not in labels for l in cli[t]["label"].to_pylist()) for t in ("gold", "pred")
    ]
    assert min(outside) > 0
    for given in [",".join(labels), labels]:
        for run in (sentlab.evaluate, sentlab.evaluate_partial):
            with warnings.catch_warnings(record=True) as seen:
                warnings.simplefilter("always")
                got = run(cli["sentences"], cli["gold"], cli["pred"], labels=given)
            assert [str(w.message) for w in seen] == [
                f"{outside[0]} gold rows with a label not in --labels (skipped)",
                f"{outside[1]} prediction rows with a label not in --labels (skipped)",
            ]
            if run is sentlab.evaluate:
                assert_same_table(got, expected)
            else:
                assert got == (d / "labels.partial.json").read_bytes().decode("utf-8")


def test_labels_restrict_and_order_the_rows_by_hand():
    # Gold a:0 X, a:1 Y; predicted a:0 X, a:1 X. labels="Y" keeps the row of Y only (Y:
    # tp 0, fp 0, fn 1; the prediction X on a:1 is not counted); ["Y", "X"] keeps both
    # (X: tp 1 on a:0, fp 1 on a:1). Rows are in the report's order (support, then label).
    s = pa.table({"sentence_id": ["a:0", "a:1"]})
    gold = pa.table({"sentence_id": ["a:0", "a:1"], "label": ["X", "Y"]})
    pred = pa.table({"sentence_id": ["a:0", "a:1"], "label": ["X", "X"]})

    def label_rows(labels):
        rows = sentlab.evaluate(s, gold, pred, labels=labels).to_pylist()
        return [(r["label"], r["tp"], r["fp"], r["fn"]) for r in rows
                if r["label"] in ("X", "Y")]
    # With "Y" only, gold a:0 X and both predictions X are skipped, and said so.
    with pytest.warns(UserWarning) as seen:
        assert label_rows("Y") == [("Y", 0, 0, 1)]
    assert [str(w.message) for w in seen] == [
        "1 gold rows with a label not in --labels (skipped)",
        "2 prediction rows with a label not in --labels (skipped)",
    ]
    assert label_rows(["Y", "X"]) == [("X", 1, 1, 0), ("Y", 0, 0, 1)]
    assert label_rows(["Y", "X"]) == label_rows("Y,X")
    with pytest.raises(TypeError) as e:
        sentlab.evaluate(s, gold, pred, labels=3)
    assert str(e.value) == 'labels: expected a string "A,B" or a list of label names, found int'


def test_span_level_bad_input_is_a_value_error_with_the_cli_wording(span_cli):
    s, g, p = span_cli["sentences"], span_cli["gold"], span_cli["pred"]
    with pytest.raises(ValueError) as e:
        sentlab.evaluate(s, g.drop_columns(["start"]), p, level="span")
    assert str(e.value) == (
        "gold: missing column(s) start (expected article_id,label,start,end; "
        "found article_id,label,end)"
    )
    mistyped = g.set_column(2, "start", pa.array([str(v) for v in g["start"].to_pylist()]))
    with pytest.raises(ValueError) as e:
        sentlab.evaluate(s, mistyped, p, level="span")
    assert str(e.value) == "gold: column `start`: expected integers, found Utf8"
    with pytest.raises(ValueError) as e:
        sentlab.evaluate(s.drop_columns(["article_id"]), g, p, level="span")
    assert str(e.value).startswith("sentences: missing column(s) article_id (expected ")
    with pytest.raises(ValueError) as e:
        sentlab.evaluate(s, g, p.drop_columns(["end"]), level="span")
    assert str(e.value).startswith("pred: missing column(s) end (expected ")
    with pytest.raises(ValueError) as e:
        sentlab.evaluate(s, span_table([("a1", " ", 0, 4)]), p, level="span")
    assert str(e.value) == "gold:0: empty label"
    with pytest.raises(ValueError) as e:
        sentlab.evaluate(s, span_table([("a1", "X", 5, 4)]), p, level="span")
    assert str(e.value) == "gold:0: bad span offsets: start 5 > end 4"
    labels = pa.table({"sentence_id": ["a1:0"], "label": ["X"]})
    with pytest.raises(ValueError) as e:
        sentlab.evaluate(s, labels, labels, match="strict")
    assert str(e.value) == 'match chooses how spans are scored: it needs level="span"'
    with pytest.raises(ValueError) as e:
        sentlab.evaluate_partial(s, g, p, level="span", match="fuzzy")
    assert str(e.value) == (
        'match="fuzzy": expected "ptc", "strict", "exact", "partial" or "type"'
    )
    for f, shown in [(0.0, "0"), (1.5, "1.5"), (-0.1, "-0.1")]:
        with pytest.raises(ValueError) as e:
            sentlab.evaluate(s, g, p, level="span", match="strict", min_overlap_fraction=f)
        assert str(e.value) == (
            f"min_overlap_fraction={shown}: expected a fraction of the gold span above 0 "
            "and at most 1"
        )
    with pytest.raises(ValueError) as e:
        sentlab.evaluate(s, g, p, level="span", min_overlap_fraction=0.5)
    assert str(e.value) == (
        'min_overlap_fraction applies to level="span" with match="strict", "exact", '
        '"partial" or "type"'
    )


def test_skipped_gold_spans_are_a_warning(span_cli):
    # a1 is 36 code points long (its last sentence ends at 36): [30, 40) ends past it.
    gold = span_table(SPAN_GOLD["a1"] + [("a1", "X", 30, 40)])
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        sentlab.evaluate(span_cli["sentences"], gold, span_cli["pred"], level="span")
    messages = [str(x.message) for x in w]
    assert any(m.startswith("gold: 1 gold span(s) skipped, the first: gold:2: ") for m in messages), messages
