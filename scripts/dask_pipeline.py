#!/usr/bin/env python3
"""sentlab on a Dask cluster: split -> extract -> partial eval, one Dask task per Parquet
shard of articles, then the partials combined into the report of one `sentlab eval` over
every article.

Each task (on a worker) reads one shard of articles (columns `id`, `text`, optional
`title`), splits it into sentences, runs the rule pack over them, writes
OUT/sentences/<shard>.parquet and OUT/predictions/<shard>.parquet, and returns the partial
result of its articles (`sentlab.evaluate_partial`, the JSON of `sentlab eval --partial`).
The driver combines the partials with `sentlab.combine` (as `sentlab combine` does): the
report, bootstrap intervals included, is byte for byte the one of `sentlab eval` over all
the articles. Dask does the scheduling (`client.map` over the shard files); nothing else
is sent between processes but the shard paths, the gold table (scattered once to every
worker) and the partials.

Needs the Python package `sentlab` (`pip install .` at the repository root), pyarrow and
dask[distributed] on the driver and every worker.

usage (a local cluster of N worker processes, or a running scheduler):
    python scripts/dask_pipeline.py SHARDS_DIR --gold GOLD.parquet --out OUT \\
        [--rules propaganda] [--workers N | --scheduler tcp://HOST:8786] \\
        [--bootstrap N [--seed S]] [--format json|csv|table|markdown]

from Python:
    from distributed import Client
    import dask_pipeline
    report = dask_pipeline.run(Client(...), "shards/", "propaganda", gold, "out/")
"""

import argparse
import functools
import os
import re
import sys
import time
import uuid
import warnings
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

import sentlab


@functools.lru_cache(maxsize=4)
def _rules(rules):
    """The compiled rule pack, once per worker process (a `Rules` object is not sent
    between processes: each worker compiles it from its path or built-in name)."""
    return sentlab.Rules.load(rules)


def _write_parquet(table, path):
    """Writes `table` to `path` through a temporary file in the same directory, renamed
    at the end: a reader never sees a half-written shard."""
    path = Path(path)
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    try:
        pq.write_table(table, tmp)
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()


def process_shard(path, rules, gold, out_dir):
    """One shard of articles: its sentence and prediction tables written under `out_dir`,
    its partial result returned with counts and the warnings of `sentlab` (an empty
    article, say), which would otherwise stay in the worker's log.

    `gold` is the whole gold table (`sentence_id`, `label`); only its rows naming a
    sentence of this shard are scored here."""
    start = time.perf_counter()
    path = Path(path)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        articles = pq.read_table(path)
        try:
            sentences = sentlab.split(articles)
            pred = _rules(rules).extract(sentences)
            ids = sentences["sentence_id"].cast(pa.large_string())
            mine = gold.filter(pc.is_in(gold["sentence_id"], value_set=ids))
            partial = sentlab.evaluate_partial(sentences, mine, pred)
        except (ValueError, TypeError) as e:
            # sentlab names the table and row ("articles row 3: ..."): add the shard.
            raise type(e)(f"{path}: {e}") from None
    out = Path(out_dir)
    _write_parquet(sentences, out / "sentences" / f"{path.stem}.parquet")
    _write_parquet(pred, out / "predictions" / f"{path.stem}.parquet")
    text_bytes = sum(
        pc.sum(pc.binary_length(articles[c])).as_py() or 0
        for c in ("title", "text")
        if c in articles.column_names
    )
    return {
        "shard": path.name,
        "articles": articles.num_rows,
        "bytes": text_bytes,
        "sentences": sentences.num_rows,
        "predictions": pred.num_rows,
        "gold_rows": mine.num_rows,
        "partial": partial,
        "warnings": [f"{path.name}: {w.message}" for w in caught],
        "seconds": time.perf_counter() - start,
        "pid": os.getpid(),
    }


def shard_files(shards_dir):
    """The Parquet shards of a directory (`*.parquet`, hidden files skipped), by name."""
    files = sorted(
        p for p in Path(shards_dir).glob("*.parquet") if not p.name.startswith(".")
    )
    if not files:
        raise FileNotFoundError(f"{shards_dir}: no *.parquet shards of articles")
    return files


def read_gold(gold):
    """A gold table: a pyarrow table, or a Parquet, Arrow IPC or CSV file of the columns
    `sentence_id`, `label` (the output of `sentlab labels merge`)."""
    if isinstance(gold, pa.Table):
        table = gold
    else:
        path = Path(gold)
        if path.suffix == ".parquet":
            table = pq.read_table(path)
        elif path.suffix in (".arrow", ".feather", ".ipc"):
            with pa.ipc.open_file(path) as f:
                table = f.read_all()
        elif path.suffix == ".csv":
            import pyarrow.csv as pcsv

            table = pcsv.read_csv(
                path,
                convert_options=pcsv.ConvertOptions(
                    column_types={"sentence_id": pa.string(), "label": pa.string()}
                ),
            )
        else:
            raise ValueError(
                f"{path}: unknown gold table extension (expected .parquet, .arrow or .csv)"
            )
    missing = [c for c in ("sentence_id", "label") if c not in table.column_names]
    if missing:
        raise ValueError(
            f"gold: missing column(s) {', '.join(missing)} (expected sentence_id,label)"
        )
    # One string type for every source (Parquet of the command line has string views,
    # which pyarrow's `is_in` does not take); the task compares with `large_string` ids.
    return table.select(["sentence_id", "label"]).cast(
        pa.schema([("sentence_id", pa.large_string()), ("label", pa.large_string())])
    )


def run_shards(client, shards_dir, rules, gold, out_dir):
    """Runs every shard as a Dask task on the workers of `client`; returns the tasks'
    results (see `process_shard`) in shard order. Warnings of the tasks, and gold rows
    that name no sentence of any shard, are printed on stderr."""
    files = shard_files(shards_dir)
    gold = read_gold(gold)
    out = Path(out_dir)
    (out / "sentences").mkdir(parents=True, exist_ok=True)
    (out / "predictions").mkdir(parents=True, exist_ok=True)
    # The gold table goes to every worker once, not once per task.
    gold_future = client.scatter(gold, broadcast=True)
    futures = client.map(
        process_shard,
        [str(f) for f in files],
        rules=str(rules),
        gold=gold_future,
        out_dir=str(out),
        pure=False,
    )
    results = client.gather(futures)
    for r in results:
        for w in r["warnings"]:
            print(f"warning: {w}", file=sys.stderr)
    unmatched = gold.num_rows - sum(r["gold_rows"] for r in results)
    if unmatched:
        print(
            f"warning: {unmatched} gold row(s) name no sentence of any shard (not scored)",
            file=sys.stderr,
        )
    return results


def run(client, shards_dir, rules, gold, out_dir, *, format="json", sort="support",
        bootstrap=None, seed=None):
    """The recipe: every shard of `shards_dir` split, extracted and scored on the workers
    of `client` (sentence and prediction Parquet shards written under `out_dir`), then the
    report of one evaluation over all the articles (`sentlab.combine`), as text in
    `format`."""
    results = run_shards(client, shards_dir, rules, gold, out_dir)
    try:
        return sentlab.combine(
            [r["partial"] for r in results], format=format, sort=sort,
            bootstrap=bootstrap, seed=seed,
        )
    except ValueError as e:
        # `partials[K]` is the K-th shard: name its file (an article in two shards, say).
        message = re.sub(r"partials\[(\d+)\]", lambda m: results[int(m[1])]["shard"], str(e))
        raise ValueError(message) from None


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("shards", help="directory of Parquet shards of articles (id, title, text)")
    ap.add_argument("--rules", default="propaganda",
                    help="rule file or directory, or a built-in pack by name (default: propaganda)")
    ap.add_argument("--gold", required=True, help="gold label table (.parquet, .arrow or .csv)")
    ap.add_argument("--out", required=True, help="output directory (sentences/, predictions/)")
    where = ap.add_mutually_exclusive_group()
    where.add_argument("--workers", type=int, default=2,
                       help="worker processes of a local cluster (default 2)")
    where.add_argument("--scheduler", help="address of a running Dask scheduler")
    ap.add_argument("--bootstrap", type=int)
    ap.add_argument("--seed", type=int)
    ap.add_argument("--sort", default="support", choices=["support", "label", "f1"])
    ap.add_argument("--format", default="table", choices=["json", "csv", "table", "markdown"])
    args = ap.parse_args(argv)

    from distributed import Client, LocalCluster

    if args.scheduler:
        client = Client(args.scheduler)
        # The workers import this module to run its tasks.
        client.upload_file(__file__)
        cluster = None
    else:
        cluster = LocalCluster(n_workers=args.workers, processes=True, threads_per_worker=1)
        client = Client(cluster)
    try:
        report = run(client, args.shards, args.rules, args.gold, args.out,
                     format=args.format, sort=args.sort, bootstrap=args.bootstrap,
                     seed=args.seed)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    sys.stdout.write(report)


if __name__ == "__main__":
    # Run as a script, the tasks' functions must still be this module's (`dask_pipeline`,
    # which the workers import), not `__main__`'s.
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import dask_pipeline

    dask_pipeline.main()
