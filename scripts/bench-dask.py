#!/usr/bin/env python3
"""Throughput and memory of the Dask recipe (scripts/dask_pipeline.py) with 1 and with 2
worker processes, on a corpus of Parquet article shards replicated from a directory of
article .txt files (PTC-like: the title on the first line, the body after it).

usage: scripts/bench-dask.sh CORPUS_DIR [REPLICAS]     (sets up the venv, then runs this)
       python scripts/bench-dask.py CORPUS_DIR [REPLICAS] [--work DIR] [--shard-mb 8]

REPLICAS copies of every article (under new ids, `r<K>-<id>`; default: enough copies for
1 GB of text) are written as Parquet shards of about --shard-mb MB of text each. Each worker
is one process with one Dask thread, and sentlab's own thread pool is limited to one
thread (RAYON_NUM_THREADS=1), so "1 worker" is one core's work and "2 workers" two cores'.
The gold table labels the title sentence (`<id>:0`) of every tenth article (an arbitrary
gold: the evaluation's cost, not its scores, is measured).

Figures: wall seconds of the recipe (`dask_pipeline.run_shards` then `sentlab.combine`, as `run` does: split, extract, Parquet outputs written,
partial eval per shard, combine; the cluster started before the clock), MB/s of article
text (UTF-8 bytes of title and text), articles/s, and the peak RSS of every worker process
(VmHWM of /proc/self/status read in the worker through `client.run` after the run: the
kernel's high-water mark of the process's resident memory over its life, Linux only), and
the workers' CPU seconds (user + system, `os.times()` in each worker before and after the
run) with MB per CPU second, a figure that other load on the machine changes less than
wall time.
"""

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

# sentlab's thread pool is read once per process: set before the workers start.
os.environ["RAYON_NUM_THREADS"] = "1"

import pyarrow as pa  # noqa: E402
import pyarrow.parquet as pq  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
import dask_pipeline  # noqa: E402


def read_articles(corpus_dir):
    """(id, title, body) of every .txt article of a directory, by file name."""
    files = sorted(Path(corpus_dir).glob("*.txt"))
    if not files:
        sys.exit(f"{corpus_dir}: no .txt articles")
    out = []
    for f in files:
        content = f.read_bytes().decode("utf-8", errors="strict")
        title, _, body = content.partition("\n")
        out.append((f.stem, title, body.lstrip("\n")))
    return out


def build_corpus(articles, replicas, shards_dir, shard_mb):
    """Writes REPLICAS copies of the articles as Parquet shards; returns (articles, bytes)."""
    shards_dir.mkdir(parents=True)
    batch, batch_bytes, n_shard, total, count = [], 0, 0, 0, 0

    def flush():
        nonlocal batch, batch_bytes, n_shard
        if batch:
            pq.write_table(
                pa.table({
                    "id": [a[0] for a in batch],
                    "title": [a[1] for a in batch],
                    "text": [a[2] for a in batch],
                }),
                shards_dir / f"part-{n_shard:04d}.parquet",
            )
            n_shard += 1
        batch, batch_bytes = [], 0

    for r in range(replicas):
        for id_, title, body in articles:
            size = len(title.encode()) + len(body.encode())
            batch.append((f"r{r}-{id_}", title, body))
            batch_bytes += size
            total += size
            count += 1
            if batch_bytes >= shard_mb * 1_000_000:
                flush()
    flush()
    return count, total, n_shard


def peak_rss_and_cpu():
    """The peak resident memory of this process (bytes, from the kernel) and its CPU
    seconds (user + system) so far."""
    t = os.times()
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024, t.user + t.system
    return None, t.user + t.system


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus")
    ap.add_argument("replicas", nargs="?", type=int)
    ap.add_argument("--work", help="work directory (default: a temporary one, removed)")
    ap.add_argument("--shard-mb", type=float, default=8)
    ap.add_argument("--workers", default="1,2")
    args = ap.parse_args()
    from distributed import Client, LocalCluster

    articles = read_articles(args.corpus)
    one = sum(len(t.encode()) + len(b.encode()) for _, t, b in articles)
    replicas = args.replicas or -(-1_000_000_000 // one)
    work = Path(args.work) if args.work else Path(tempfile.mkdtemp(prefix="bench-dask-"))
    try:
        t = time.perf_counter()
        n, total, n_shards = build_corpus(articles, replicas, work / "shards", args.shard_mb)
        print(f"corpus: {len(articles)} articles x {replicas} = {n} articles, "
              f"{total / 1e6:.1f} MB of text, {n_shards} Parquet shards "
              f"({time.perf_counter() - t:.1f} s to write)")
        ids = [f"r{r}-{a[0]}:0" for r in range(replicas) for a in articles[::10]]
        gold = pa.table({"sentence_id": ids, "label": ["Loaded_Language"] * len(ids)})
        print(f"machine: {os.cpu_count()} cores, load average "
              f"{' '.join(open('/proc/loadavg').read().split()[:3])} at start")
        reports = []
        for w in [int(x) for x in args.workers.split(",")]:
            out = work / f"out-{w}"
            t = time.perf_counter()
            cluster = LocalCluster(n_workers=w, processes=True, threads_per_worker=1,
                                   dashboard_address=None)
            client = Client(cluster)
            started = time.perf_counter() - t
            try:
                before = client.run(peak_rss_and_cpu)
                t = time.perf_counter()
                results = dask_pipeline.run_shards(client, work / "shards", "propaganda",
                                                   gold, out)
                import sentlab

                report = sentlab.combine([r["partial"] for r in results])
                secs = time.perf_counter() - t
                after = client.run(peak_rss_and_cpu)
            finally:
                client.close()
                cluster.close()
            reports.append(report)
            mb = sum(r["bytes"] for r in results) / 1e6
            arts = sum(r["articles"] for r in results)
            task_s = sum(r["seconds"] for r in results)
            rss_mb = ", ".join(f"{v[0] / 1e6:.0f}" for v in sorted(after.values()))
            cpu = sum(after[k][1] - before[k][1] for k in after)
            print(f"{w} worker(s): {secs:.1f} s ({started:.1f} s to start the cluster, "
                  f"not counted), {mb / secs:.1f} MB/s, {arts / secs:,.0f} articles/s, "
                  f"{sum(r['sentences'] for r in results):,} sentences, "
                  f"{sum(r['predictions'] for r in results):,} predictions; "
                  f"task seconds {task_s:.1f}; worker CPU {cpu:.1f} s "
                  f"({mb / cpu:.1f} MB per CPU second); peak RSS per worker (MB): {rss_mb}; "
                  f"load average {' '.join(open('/proc/loadavg').read().split()[:3])}")
            shutil.rmtree(out)
        if len(set(reports)) != 1:
            sys.exit("the reports of the runs differ")
    finally:
        if not args.work:
            shutil.rmtree(work)


if __name__ == "__main__":
    main()
