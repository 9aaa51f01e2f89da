//! Reading the columns of an Arrow table given from Python: the columns looked up by name,
//! checked for type, and read in place (no copy of the strings).
//!
//! Messages follow the command line's, with the table's name where it names a file and
//! `row N` (0-based, the table's row index) where it names a line.

use arrow_array::cast::AsArray;
use arrow_array::types::{
    Int8Type, Int16Type, Int32Type, Int64Type, UInt8Type, UInt16Type, UInt32Type, UInt64Type,
};
use arrow_array::{Array, ArrayRef, RecordBatch};
use arrow_schema::DataType;

/// A data error: raised as `ValueError`.
#[derive(Debug)]
pub struct DataError(pub String);

impl std::fmt::Display for DataError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// A table given from Python: its name in messages, its column names and its batches.
pub struct Table {
    /// The name of the argument (`articles`, `sentences`, `gold`, ...).
    pub name: String,
    /// The batches, in order.
    pub batches: Vec<RecordBatch>,
    /// The column names, in order.
    pub columns: Vec<String>,
}

impl Table {
    /// The table's rows in all its batches.
    pub fn rows(&self) -> usize {
        self.batches.iter().map(RecordBatch::num_rows).sum()
    }

    /// Whether the table has a column `name`.
    pub fn has(&self, name: &str) -> bool {
        self.columns.iter().any(|c| c == name)
    }

    /// Errors naming the `required` columns missing (the command line's wording for table
    /// inputs: the columns missing, expected and found).
    pub fn require(&self, required: &[&str]) -> Result<(), DataError> {
        let missing: Vec<&str> = required.iter().copied().filter(|c| !self.has(c)).collect();
        if missing.is_empty() {
            return Ok(());
        }
        Err(DataError(format!(
            "{}: missing column(s) {} (expected {}; found {})",
            self.name,
            missing.join(", "),
            required.join(","),
            self.columns.join(",")
        )))
    }

    /// Column `name` of every batch.
    fn column(&self, name: &str) -> Vec<ArrayRef> {
        self.batches
            .iter()
            .map(|b| b.column_by_name(name).expect("checked by require").clone())
            .collect()
    }

    /// The type of column `name`.
    fn data_type(&self, name: &str) -> Option<DataType> {
        self.batches
            .first()
            .and_then(|b| b.column_by_name(name))
            .map(|c| c.data_type().clone())
    }

    fn mistyped(&self, name: &str, expected: &str) -> DataError {
        let found = self
            .data_type(name)
            .map_or_else(|| "no data".to_string(), |t| t.to_string());
        DataError(format!(
            "{}: column `{name}`: expected {expected}, found {found}",
            self.name
        ))
    }

    /// The string column `name` (`string`, `large_string` or `string_view`).
    pub fn strings(&self, name: &str) -> Result<Strings, DataError> {
        let columns = self.column(name);
        if columns.iter().any(|c| {
            !matches!(
                c.data_type(),
                DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View
            )
        }) {
            return Err(self.mistyped(name, "strings (string or large_string)"));
        }
        Ok(Strings {
            table: self.name.clone(),
            column: name.to_string(),
            chunks: columns,
        })
    }

    /// The integer column `name` (any integer type).
    pub fn integers(&self, name: &str) -> Result<Integers, DataError> {
        let columns = self.column(name);
        if columns.iter().any(|c| !c.data_type().is_integer()) {
            return Err(self.mistyped(name, "integers"));
        }
        Ok(Integers {
            table: self.name.clone(),
            column: name.to_string(),
            chunks: columns,
        })
    }
}

/// A string column over the table's batches.
pub struct Strings {
    table: String,
    column: String,
    chunks: Vec<ArrayRef>,
}

impl Strings {
    /// Every value, in order (`None` for a null).
    pub fn values(&self) -> impl Iterator<Item = Option<&str>> + '_ {
        self.chunks
            .iter()
            .flat_map(|c| -> Box<dyn Iterator<Item = Option<&str>> + '_> {
                match c.data_type() {
                    DataType::Utf8 => Box::new(c.as_string::<i32>().iter()),
                    DataType::LargeUtf8 => Box::new(c.as_string::<i64>().iter()),
                    _ => Box::new(c.as_string_view().iter()),
                }
            })
    }

    /// Every value, a null being an error naming the row.
    pub fn required(&self) -> Result<Vec<&str>, DataError> {
        self.values()
            .enumerate()
            .map(|(i, v)| {
                v.ok_or_else(|| {
                    DataError(format!(
                        "{} row {i}: column `{}`: null (expected a string)",
                        self.table, self.column
                    ))
                })
            })
            .collect()
    }
}

/// An integer column over the table's batches.
pub struct Integers {
    table: String,
    column: String,
    chunks: Vec<ArrayRef>,
}

macro_rules! widen {
    ($c:expr, $($t:ty => $dt:pat),*) => {
        match $c.data_type() {
            $($dt => $c.as_primitive::<$t>().iter().map(|v| v.map(i128::from)).collect::<Vec<_>>(),)*
            _ => unreachable!("checked by integers()"),
        }
    };
}

impl Integers {
    /// Every value, in order (`None` for a null).
    fn values(&self) -> Vec<Option<i128>> {
        let mut out = Vec::new();
        for c in &self.chunks {
            out.extend(widen!(c,
                Int8Type => DataType::Int8,
                Int16Type => DataType::Int16,
                Int32Type => DataType::Int32,
                Int64Type => DataType::Int64,
                UInt8Type => DataType::UInt8,
                UInt16Type => DataType::UInt16,
                UInt32Type => DataType::UInt32,
                UInt64Type => DataType::UInt64
            ));
        }
        out
    }

    /// Every value as a non-negative integer up to `max`; a null or a value out of range is
    /// an error naming the row (the command line's wording).
    pub fn non_negative(&self, max: u64) -> Result<Vec<u64>, DataError> {
        self.values()
            .into_iter()
            .enumerate()
            .map(|(i, v)| match v {
                Some(v) if (0..=i128::from(max)).contains(&v) => Ok(v as u64),
                Some(v) => Err(DataError(format!(
                    "{} row {i}: column `{}`: {v} (expected a non-negative integer)",
                    self.table, self.column
                ))),
                None => Err(DataError(format!(
                    "{} row {i}: column `{}`: null (expected a non-negative integer)",
                    self.table, self.column
                ))),
            })
            .collect()
    }
}

/// An article id column: strings, or integers (as a JSON Lines id may be a number).
pub enum Ids {
    /// Text ids.
    Text(Strings),
    /// Number ids.
    Numbers(Vec<Option<i128>>),
}

impl Ids {
    /// The id column `name` of `table`.
    pub fn read(table: &Table, name: &str) -> Result<Ids, DataError> {
        if let Ok(s) = table.strings(name) {
            return Ok(Ids::Text(s));
        }
        match table.integers(name) {
            Ok(n) => Ok(Ids::Numbers(n.values())),
            Err(_) => Err(table.mistyped(name, "strings or integers (the article ids)")),
        }
    }

    /// Every id, in order (`None` for a null).
    pub fn values(&self) -> Vec<Option<String>> {
        match self {
            Ids::Text(s) => s.values().map(|v| v.map(str::to_string)).collect(),
            Ids::Numbers(n) => n.iter().map(|v| v.map(|v| v.to_string())).collect(),
        }
    }
}
