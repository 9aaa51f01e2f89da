"""sentlab over Arrow tables: split articles into sentences, run a rule pack over them,
and score the predictions against gold, with the results of the ``sentlab`` command line.

Tables are pyarrow ``Table``, ``RecordBatch`` or ``RecordBatchReader`` objects (or
anything with ``__arrow_c_stream__`` or ``__arrow_c_array__``, the Arrow PyCapsule
interface) with the columns of the command line's tables; results are pyarrow
``Table`` objects with the columns and types of its Arrow outputs. See docs/python.md.
"""

from ._sentlab import Rules, combine, evaluate, evaluate_partial, merge, split

__all__ = ["Rules", "combine", "evaluate", "evaluate_partial", "merge", "split"]
