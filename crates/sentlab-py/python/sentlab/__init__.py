"""sentlab over Arrow tables: split articles into sentences, run a rule pack over them,
and score the predictions against gold, with the results of the ``sentlab`` command line.

Tables are pyarrow ``Table`` or ``RecordBatch`` objects (or anything that speaks the Arrow
C data interface) with the columns of the command line's tables; results are pyarrow
``Table`` objects with the columns and types of its Arrow outputs. See docs/python.md.
"""

from ._sentlab import Rules, evaluate, split

__all__ = ["Rules", "evaluate", "split"]
