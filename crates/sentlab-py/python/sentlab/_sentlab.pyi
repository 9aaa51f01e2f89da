"""Type stubs of the native module (re-exported by ``sentlab``)."""

import os
from typing import Any, Dict, List, Literal, Optional, Tuple, Union

import pyarrow

# Any object of the Arrow PyCapsule interface (``__arrow_c_stream__`` or
# ``__arrow_c_array__``) is accepted, e.g. a polars ``DataFrame``.
TableLike = Union[pyarrow.Table, pyarrow.RecordBatch, pyarrow.RecordBatchReader]

def split(articles: TableLike) -> pyarrow.Table:
    """Splits articles into the sentence table.

    ``articles`` has the fields of the command line's JSON Lines articles: ``id``
    (strings or integers), ``text`` (strings) and optionally ``title`` (strings; null or
    blank means no title). Other columns are ignored. The result has the columns
    ``article_id, sentence_id, index, paragraph, kind, start, end, text`` (the rows of
    ``sentlab split articles.jsonl``), offsets in code points of the article text
    (``title``, a blank line, then ``text``).

    Raises ``ValueError`` for a missing or mistyped column, a null id or text, an empty
    id or a duplicate id; an article without sentences gives a ``UserWarning``.
    """

def evaluate(
    sentences: TableLike,
    gold: TableLike,
    pred: TableLike,
    *,
    level: Literal["sentence", "span"] = "sentence",
    match: Optional[Literal["ptc", "strict", "exact", "partial", "type"]] = None,
    min_overlap_fraction: Optional[float] = None,
    labels: Optional[Union[str, List[str]]] = None,
) -> pyarrow.Table:
    """Scores predictions against gold, per label (``sentlab eval``).

    Sentence level (default): ``sentences`` needs a ``sentence_id`` column, ``gold`` and
    ``pred`` the columns ``sentence_id`` and ``label`` (other columns are ignored). The
    result is the report of ``sentlab eval -o report.arrow``: ``row, label, tp, fp, fn,
    support, precision, recall, f1``, one row per label, then ``micro``, ``macro``,
    ``weighted`` and ``any``.

    ``level="span"`` (``sentlab eval --level span``): ``gold`` is a span table with the
    columns of a PTC span file, ``article_id, label, start, end`` (code-point offsets into
    the article text); ``sentences`` needs ``article_id, sentence_id, start, end``;
    ``pred`` needs ``sentence_id, label, start, end`` (``extract``'s table). ``match``
    (``"ptc"``, the default, or ``"strict"``, ``"exact"``, ``"partial"``, ``"type"``) and
    ``min_overlap_fraction`` (above 0, at most 1; not with ``"ptc"``) are ``--match`` and
    ``--min-overlap-fraction``. Gold spans the command line skips (unknown article, past
    the article's end, a duplicate, no sentence overlapped) are skipped with a
    ``UserWarning``.

    ``labels`` restricts the label set, as ``--labels``: the text ``"A,B"`` or a list of
    names.

    Raises ``ValueError`` for a missing or mistyped column, a null cell, duplicate
    sentence ids, gold and predictions that name no sentence of the table, or keywords
    that contradict each other (``match`` at the sentence level); ``TypeError`` for
    ``labels`` that is neither a string nor a list of strings.
    """

def evaluate_partial(
    sentences: TableLike,
    gold: TableLike,
    pred: TableLike,
    *,
    level: Literal["sentence", "span"] = "sentence",
    match: Optional[Literal["ptc", "strict", "exact", "partial", "type"]] = None,
    min_overlap_fraction: Optional[float] = None,
    labels: Optional[Union[str, List[str]]] = None,
) -> str:
    """The partial result of an evaluation (``sentlab eval --partial FILE``).

    The arguments are ``evaluate``'s. The result is the JSON text the command line writes
    (the same bytes): per article of ``sentences`` and per label its counts (``[tp, fp,
    fn]`` at the sentence level, the span sums or ``match`` counts at the span level).
    ``combine`` adds partials of disjoint sets of articles, made with the same keywords,
    up into the report of one evaluation over all of them.

    Raises as ``evaluate`` does.
    """

def combine(
    partials: List[str],
    *,
    format: Literal["json", "csv", "table", "markdown"] = "json",
    sort: Literal["support", "label", "f1"] = "support",
    bootstrap: Optional[int] = None,
    seed: Optional[int] = None,
) -> str:
    """The report of one evaluation over all the articles of ``partials``
    (``sentlab combine PARTIAL... --format FORMAT``).

    ``partials`` are texts of ``evaluate_partial`` or of ``sentlab eval --partial``, one
    per shard of a corpus (each article in one). The result is the text the command line
    writes, byte for byte the report of ``sentlab eval`` over every article in that
    format (``json.loads`` gives the dict of ``format="json"``). ``bootstrap`` (100 to
    100000 resamples) adds 95% intervals, the same as ``eval --bootstrap N --seed S``;
    ``seed`` defaults to 42.

    Raises ``ValueError`` for an empty list, a text that is not a partial, partials that
    share an article or differ in format version or ``--labels`` (naming ``partials[K]``),
    and an unknown ``format`` or ``sort``.
    """

def merge(
    sentences: TableLike,
    annotators: List[TableLike],
    *,
    schema: Optional[Union[str, os.PathLike[str]]] = None,
    strategy: Literal["majority", "unanimous", "any", "min-votes"] = "majority",
    min_votes: Optional[int] = None,
    tie: Optional[Literal["yes", "no"]] = None,
    strict: bool = False,
    bootstrap: Optional[int] = None,
    seed: Optional[int] = None,
) -> Tuple[pyarrow.Table, Dict[str, Any]]:
    """Merges annotators' label tables into gold labels (``sentlab labels merge``).

    ``sentences`` needs the columns ``article_id, sentence_id, start, end``; each table of
    ``annotators`` the long columns ``sentence_id, label, annotator`` (a null or empty
    label: the annotator saw the sentence and gave no label). ``schema`` is a label schema
    file (``--schema``); ``strategy``, ``min_votes``, ``tie`` and ``strict`` are the
    command line's flags; ``bootstrap=N`` (100 to 100000) and ``seed`` add the 95%
    bootstrap intervals of ``--bootstrap N --seed S`` to every agreement figure (sentences
    resampled, drawn in the byte order of their ids). Returns the gold table
    (``sentence_id, label, votes, annotators``, as ``-o gold.arrow``) and the agreement
    report as the dict of ``--report agreement.json``.

    Raises ``ValueError`` for a missing or mistyped column, a null cell, contradictory
    options, a bad schema, or (with ``strict``) a skipped row; skipped rows otherwise give
    a ``UserWarning``.
    """

class Rules:
    """A compiled rule pack (the command line's ``--rules``)."""

    @staticmethod
    def load(path: Union[str, os.PathLike[str]]) -> "Rules":
        """Reads and compiles a rule pack: a ``.toml`` file, a directory of them, or a
        built-in pack by name (``"propaganda"``, as the command line's ``--rules``).

        A file or directory of a built-in pack's name in the current directory is used
        instead of the pack, with a ``UserWarning``.

        Raises ``OSError`` (``FileNotFoundError``, ``PermissionError``, ...) when a rules
        or lexicon file cannot be read, ``ValueError`` listing every problem of the
        rules otherwise.
        """
    def extract(self, sentences: TableLike) -> pyarrow.Table:
        """The rules' predictions on a sentence table (``sentlab extract``).

        ``sentences`` has the columns of the sentence table (``split``'s result). The
        result has the columns ``sentence_id, label, rule_id, start, end, match``.

        Raises ``ValueError`` for a missing or mistyped column, a null cell, an unknown
        ``kind`` or a duplicate sentence id.
        """
    def __len__(self) -> int:
        """The number of rules."""
