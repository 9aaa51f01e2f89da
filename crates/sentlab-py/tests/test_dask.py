"""The Dask recipe (scripts/dask_pipeline.py) on a local cluster of two worker processes
against the single-process command line: the same sentence and prediction rows, and byte
for byte the report of one `sentlab eval` over the whole sample.

The sample (datasets/sample, plus an article without a title) is split into 3 Parquet
shards of articles in a temporary directory.
"""

import sys

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from test_sentlab import BIN, ROOT, SAMPLE, read_arrow, run_cli, sample_articles

distributed = pytest.importorskip("distributed")

sys.path.insert(0, str(ROOT / "scripts"))
import dask_pipeline  # noqa: E402


def sorted_rows(table, keys):
    return sorted(table.to_pylist(), key=lambda r: tuple(r[k] for k in keys))


@pytest.fixture(scope="module")
def client():
    cluster = distributed.LocalCluster(
        n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None
    )
    with distributed.Client(cluster) as c:
        yield c
    cluster.close()


def test_the_dask_recipe_gives_the_tables_and_report_of_the_cli(client, tmp_path):
    records = sample_articles()
    d = tmp_path
    # The command line over the whole sample, in one process.
    articles = pa.Table.from_pylist(records)
    pq.write_table(articles, d / "articles.parquet")
    run_cli("split", d / "articles.parquet", "-o", d / "sentences.arrow")
    run_cli("extract", "--rules", "propaganda", d / "sentences.arrow", "-o", d / "pred.arrow")
    labels = sorted((SAMPLE / "labels").glob("*.csv"))
    run_cli(
        "labels", "merge", "--sentences", d / "sentences.arrow", *labels,
        "--schema", ROOT / "datasets" / "labels.toml", "-o", d / "gold.parquet",
    )
    whole = ["--sentences", d / "sentences.arrow", "--gold", d / "gold.parquet",
             "--pred", d / "pred.arrow"]

    # The same articles in 3 Parquet shards (every third article), through Dask.
    shards = d / "shards"
    shards.mkdir()
    for k in range(3):
        pq.write_table(pa.Table.from_pylist(records[k::3], schema=articles.schema),
                       shards / f"part-{k}.parquet")
    out = d / "out"
    report = dask_pipeline.run(client, shards, "propaganda", d / "gold.parquet", out)

    sentences = pa.concat_tables(
        pq.read_table(p) for p in sorted((out / "sentences").glob("*.parquet"))
    )
    pred = pa.concat_tables(
        pq.read_table(p) for p in sorted((out / "predictions").glob("*.parquet"))
    )
    assert len(list((out / "sentences").iterdir())) == 3
    cli_sentences, cli_pred = read_arrow(d / "sentences.arrow"), read_arrow(d / "pred.arrow")
    assert sentences.schema == cli_sentences.schema
    assert pred.schema == cli_pred.schema
    assert len(sentences) > 100 and len(pred) > 10
    assert sorted_rows(sentences, ["sentence_id"]) == sorted_rows(cli_sentences, ["sentence_id"])
    keys = pred.column_names
    assert sorted_rows(pred, keys) == sorted_rows(cli_pred, keys)

    def cli_report(*extra):
        import subprocess

        return subprocess.run(
            [str(BIN), "--quiet", "eval", *map(str, whole), *extra],
            check=True, capture_output=True,
        ).stdout.decode("utf-8")

    assert report == cli_report("--format", "json")
    with_intervals = dask_pipeline.run(
        client, shards, "propaganda", d / "gold.parquet", out,
        format="table", bootstrap=300, seed=11,
    )
    assert with_intervals == cli_report("--bootstrap", "300", "--seed", "11")
    assert "[" in with_intervals  # the intervals are there


def test_gold_rows_of_no_shard_are_reported(client, tmp_path, capsys):
    shards = tmp_path / "shards"
    shards.mkdir()
    pq.write_table(pa.table({"id": ["a"], "text": ["One. Two."]}), shards / "s.parquet")
    # a:0 is a sentence of the shard; zz:0 is no sentence of any shard.
    gold = pa.table({"sentence_id": ["a:0", "zz:0"], "label": ["X", "X"]})
    dask_pipeline.run(client, shards, "propaganda", gold, tmp_path / "out")
    assert "1 gold row(s) name no sentence of any shard" in capsys.readouterr().err


def test_errors_name_the_shard(client, tmp_path):
    shards = tmp_path / "shards"
    shards.mkdir()
    gold = pa.table({"sentence_id": ["a:0"], "label": ["X"]})
    # Article `a` in two shards: combine refuses it, naming both files.
    pq.write_table(pa.table({"id": ["a"], "text": ["One."]}), shards / "one.parquet")
    pq.write_table(pa.table({"id": ["a"], "text": ["Two."]}), shards / "two.parquet")
    with pytest.raises(ValueError) as e:
        dask_pipeline.run(client, shards, "propaganda", gold, tmp_path / "out")
    assert str(e.value) == (
        "one.parquet and two.parquet both hold article `a`: each article must be in one "
        "partial only (shards of one corpus)"
    )
    # Bad data in a shard: sentlab's message (table and row), after the shard's path.
    (shards / "two.parquet").unlink()
    pq.write_table(pa.table({"id": ["b", " "], "text": ["x", "y"]}), shards / "bad.parquet")
    with pytest.raises(ValueError) as e:
        dask_pipeline.run(client, shards, "propaganda", gold, tmp_path / "out")
    assert str(e.value) == (
        f"{shards / 'bad.parquet'}: articles row 1: empty `id` (expected a non-empty article id)"
    )
