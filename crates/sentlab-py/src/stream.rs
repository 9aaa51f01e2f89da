//! Arrow tables in and out of Python through the Arrow PyCapsule interface: the C stream
//! interface (`__arrow_c_stream__`, a capsule named `arrow_array_stream`) and, for an
//! object that only exports one array, the C data interface (`__arrow_c_array__`, capsules
//! named `arrow_schema` and `arrow_array`).
//!
//! Reading imports the producer's buffers as they are (no copy of the columns). Writing
//! exports the batches as a C stream in a capsule that pyarrow imports.

use std::ffi::CStr;
use std::sync::Arc;

use arrow_array::ffi::{FFI_ArrowArray, FFI_ArrowSchema, from_ffi};
use arrow_array::ffi_stream::{ArrowArrayStreamReader, FFI_ArrowArrayStream};
use arrow_array::{RecordBatch, RecordBatchIterator, StructArray};
use arrow_schema::{ArrowError, DataType, SchemaRef};
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyCapsule, PyTuple};

const STREAM: &CStr = c"arrow_array_stream";
const SCHEMA: &CStr = c"arrow_schema";
const ARRAY: &CStr = c"arrow_array";

/// The schema and batches of an Arrow table given from Python (a pyarrow `Table`,
/// `RecordBatch` or `RecordBatchReader`, or any other object with `__arrow_c_stream__` or
/// `__arrow_c_array__`).
pub fn read(name: &str, data: &Bound<'_, PyAny>) -> PyResult<(SchemaRef, Vec<RecordBatch>)> {
    let failed = |e: ArrowError| PyValueError::new_err(format!("{name}: cannot read table: {e}"));
    if data.hasattr("__arrow_c_stream__")? {
        let capsule = data.call_method0("__arrow_c_stream__")?;
        let capsule = capsule.cast::<PyCapsule>()?;
        let pointer = capsule.pointer_checked(Some(STREAM))?;
        // SAFETY: the capsule is named `arrow_array_stream`, so (per the PyCapsule interface)
        // it holds a valid, aligned `ArrowArrayStream` that we may consume. `from_raw`
        // moves the stream out and leaves an empty one (release callback null) in its
        // place, so the capsule's destructor, which releases only a stream not yet
        // released, does nothing and the stream is released once, when the reader drops.
        let reader =
            unsafe { ArrowArrayStreamReader::from_raw(pointer.as_ptr().cast()) }.map_err(failed)?;
        let schema = arrow_array::RecordBatchReader::schema(&reader);
        let batches = reader.collect::<Result<Vec<_>, _>>().map_err(failed)?;
        return Ok((schema, batches));
    }
    if data.hasattr("__arrow_c_array__")? {
        let pair = data.call_method0("__arrow_c_array__")?;
        let pair = pair.cast::<PyTuple>()?;
        let schema_capsule = pair.get_item(0)?;
        let schema_capsule = schema_capsule.cast::<PyCapsule>()?;
        let array_capsule = pair.get_item(1)?;
        let array_capsule = array_capsule.cast::<PyCapsule>()?;
        let schema_pointer = schema_capsule.pointer_checked(Some(SCHEMA))?;
        let array_pointer = array_capsule.pointer_checked(Some(ARRAY))?;
        // SAFETY: per the PyCapsule interface, the capsules named `arrow_schema` and
        // `arrow_array` hold a valid `ArrowSchema` (borrowed here, released by its capsule)
        // and a valid `ArrowArray` that we may consume: `from_raw` moves it out and marks the
        // one left in the capsule released, so it is released once, with the imported data.
        let data = unsafe {
            let array = FFI_ArrowArray::from_raw(array_pointer.as_ptr().cast());
            let schema = &*schema_pointer.as_ptr().cast::<FFI_ArrowSchema>();
            from_ffi(array, schema)
        }
        .map_err(failed)?;
        if !matches!(data.data_type(), DataType::Struct(_)) {
            return Err(PyValueError::new_err(format!(
                "{name}: expected a table (a struct array of columns), found an array of {}",
                data.data_type()
            )));
        }
        let batch = RecordBatch::from(StructArray::from(data));
        return Ok((batch.schema(), vec![batch]));
    }
    Err(PyTypeError::new_err(format!(
        "{name}: expected an Arrow table (a pyarrow Table or RecordBatch, or an object with \
         __arrow_c_stream__), found {}",
        data.get_type().name()?
    )))
}

/// `pyarrow.RecordBatchReader._import_from_c_capsule`, looked up once.
fn import_stream(py: Python<'_>) -> PyResult<&Bound<'_, PyAny>> {
    static IMPORT: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    IMPORT
        .get_or_try_init(py, || {
            Ok::<_, PyErr>(
                py.import("pyarrow")?
                    .getattr("RecordBatchReader")?
                    .getattr("_import_from_c_capsule")?
                    .unbind(),
            )
        })
        .map(|f| f.bind(py))
}

/// A batch as a pyarrow `Table`: exported as a C stream in a capsule named
/// `arrow_array_stream` and read back by pyarrow.
pub fn to_pyarrow(py: Python<'_>, batch: RecordBatch) -> PyResult<Py<PyAny>> {
    let schema = batch.schema();
    let reader = RecordBatchIterator::new(vec![Ok(batch)], Arc::clone(&schema));
    let stream = FFI_ArrowArrayStream::new(Box::new(reader));
    // The capsule owns the stream: pyarrow moves it out (leaving it released); if nobody
    // does, dropping the capsule's value releases it (`FFI_ArrowArrayStream`'s `Drop`).
    let capsule = PyCapsule::new_with_value(py, stream, STREAM)?;
    let reader = import_stream(py)?.call1((capsule,))?;
    Ok(reader.call_method0("read_all")?.unbind())
}
