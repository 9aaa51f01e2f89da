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
) -> pyarrow.Table:
    """Scores predictions against gold, per label (``sentlab eval``).

    ``sentences`` needs a ``sentence_id`` column, ``gold`` and ``pred`` the columns
    ``sentence_id`` and ``label`` (other columns are ignored). The result is the report of
    ``sentlab eval -o report.arrow``: ``row, label, tp, fp, fn, support, precision,
    recall, f1``, one row per label, then ``micro``, ``macro``, ``weighted`` and ``any``.
    Only ``level="sentence"`` is available here.

    Raises ``ValueError`` for a missing or mistyped column, a null cell, duplicate
    sentence ids, or gold and predictions that name no sentence of the table.
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
) -> Tuple[pyarrow.Table, Dict[str, Any]]:
    """Merges annotators' label tables into gold labels (``sentlab labels merge``).

    ``sentences`` needs the columns ``article_id, sentence_id, start, end``; each table of
    ``annotators`` the long columns ``sentence_id, label, annotator`` (a null or empty
    label: the annotator saw the sentence and gave no label). ``schema`` is a label schema
    file (``--schema``); ``strategy``, ``min_votes``, ``tie`` and ``strict`` are the
    command line's flags. Returns the gold table (``sentence_id, label, votes,
    annotators``, as ``-o gold.arrow``) and the agreement report as the dict of
    ``--report agreement.json``.

    Raises ``ValueError`` for a missing or mistyped column, a null cell, contradictory
    options, a bad schema, or (with ``strict``) a skipped row; skipped rows otherwise give
    a ``UserWarning``.
    """

class Rules:
    """A compiled rule pack (the command line's ``--rules``)."""

    @staticmethod
    def load(path: Union[str, os.PathLike[str]]) -> "Rules":
        """Reads and compiles a rule pack: a ``.toml`` file or a directory of them.

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
