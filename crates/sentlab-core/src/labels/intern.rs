//! A small string interner with a fast non-cryptographic hash ([`FxHashMap`]), so that the
//! hot import path does one hash look-up per field and allocates only for new strings.

use crate::hash::FxHashMap;

/// Interns strings to dense `u32` ids in order of first appearance.
#[derive(Debug, Default, Clone)]
pub(crate) struct Interner {
    map: FxHashMap<Box<str>, u32>,
    names: Vec<Box<str>>,
}

impl Interner {
    /// The id of `s`, adding it when new.
    #[inline]
    pub(crate) fn intern(&mut self, s: &str) -> u32 {
        if let Some(&id) = self.map.get(s) {
            return id;
        }
        let id = u32::try_from(self.names.len()).expect("more than u32::MAX distinct strings");
        let boxed: Box<str> = s.into();
        self.names.push(boxed.clone());
        self.map.insert(boxed, id);
        id
    }

    /// The interned strings, indexed by id.
    pub(crate) fn into_names(self) -> Vec<String> {
        self.names.into_iter().map(String::from).collect()
    }

    /// The string of an id.
    pub(crate) fn name(&self, id: u32) -> &str {
        &self.names[id as usize]
    }

    /// Number of interned strings.
    pub(crate) fn len(&self) -> usize {
        self.names.len()
    }
}
