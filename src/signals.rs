//! Removing temporary outputs when sentlab is told to stop (SIGINT from Ctrl-C, SIGTERM,
//! SIGHUP).
//!
//! Every temporary file or directory that an abrupt end would leave behind (an output's
//! `.sentlab-*.tmp` beside its destination, `run`'s `.sentlab-run-*` staging directory) is
//! registered here for as long as it exists, as a [`Tracked`] value. [`install`] starts a
//! thread that waits for the three signals; on the first one it removes every registered
//! path and exits with status 128 + the signal number (130 for Ctrl-C, 143 for SIGTERM, 129
//! for SIGHUP), as a shell reports a process ended by that signal. Outputs that were already
//! complete and renamed into place stay; an output being written is not replaced, so the
//! file it would have replaced keeps its previous content.
//!
//! Why `signal-hook`: removing files allocates and does I/O, which must not happen inside a
//! signal handler. Its `iterator::Signals` installs a handler that only writes to a
//! self-pipe (async-signal-safe) and lets an ordinary thread receive the signals, where the
//! cleanup runs safely. It is the maintained, widely used crate for this (the `ctrlc` crate
//! does not cover SIGHUP), and polars already builds it, so it adds nothing to the build.
//!
//! The registry lock makes cleanup and the steps that change what exists atomic with
//! respect to each other: creating and registering a temporary path is one step
//! ([`Tracked::create`]), renaming it into place and unregistering it another
//! ([`Tracked::settle`]). The cleanup thread takes the lock and never gives it back, so once
//! it started no new temporary file is created and no half-written output is renamed into
//! place.

use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard, Once};

struct Entry {
    id: u64,
    path: PathBuf,
    dir: bool,
}

static LIVE: Mutex<Vec<Entry>> = Mutex::new(Vec::new());
static NEXT_ID: AtomicU64 = AtomicU64::new(0);

fn live() -> MutexGuard<'static, Vec<Entry>> {
    // A panic while holding the lock leaves the list as it was: still usable.
    LIVE.lock().unwrap_or_else(|e| e.into_inner())
}

/// The paths registered now (for tests).
pub fn registered() -> Vec<PathBuf> {
    live().iter().map(|e| e.path.clone()).collect()
}

/// Removes every registered path (directories with their content); errors are ignored, a
/// path may already be gone.
fn remove_all(entries: &[Entry]) {
    for e in entries {
        let _ = if e.dir {
            std::fs::remove_dir_all(&e.path)
        } else {
            std::fs::remove_file(&e.path)
        };
    }
}

/// Starts the thread that cleans up on SIGINT, SIGTERM and SIGHUP and exits with 128 + the
/// signal number. Called once by the binary; later calls do nothing. If the handlers cannot
/// be installed, the signals keep their default action (the process ends, temporary files
/// stay).
pub fn install() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
        let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP]) else {
            return;
        };
        let _ = std::thread::Builder::new()
            .name("sentlab-signals".into())
            .spawn(move || {
                if let Some(signal) = signals.forever().next() {
                    // Held until the process exits: nothing registers or settles after this.
                    let entries = live();
                    remove_all(&entries);
                    std::process::exit(128 + signal);
                }
            });
    });
}

/// Unregisters its path when dropped.
struct Registration {
    id: u64,
}

impl Drop for Registration {
    fn drop(&mut self) {
        let id = self.id;
        live().retain(|e| e.id != id);
    }
}

/// A temporary file or directory (`T`: a `tempfile::NamedTempFile` or `TempDir`) whose path
/// is removed on a signal while this value lives. Dropping it drops `T` first (which
/// removes the path), then unregisters the path.
pub struct Tracked<T> {
    // Field order is drop order: the value (removing the path) before the registration.
    value: T,
    registration: Registration,
}

impl<T> Tracked<T> {
    /// Creates the temporary `T` with `make` and registers the path `path_of` reads from it,
    /// in one step (no cleanup can run between the two). `dir`: the path is a directory.
    pub fn create(
        dir: bool,
        make: impl FnOnce() -> io::Result<T>,
        path_of: impl FnOnce(&T) -> &Path,
    ) -> io::Result<Tracked<T>> {
        let mut entries = live();
        let value = make()?;
        let id = NEXT_ID.fetch_add(1, Ordering::Relaxed);
        entries.push(Entry {
            id,
            path: path_of(&value).to_path_buf(),
            dir,
        });
        Ok(Tracked {
            value,
            registration: Registration { id },
        })
    }

    /// Runs `finish` on the value (the rename that moves the temporary file into place) and,
    /// when it succeeds, unregisters the path, in one step: a signal arriving meanwhile
    /// waits, so either the output is in place or the temporary file is removed. On failure
    /// the path is unregistered too: the error holds the value, which removes it when
    /// dropped.
    pub fn settle<R, E>(self, finish: impl FnOnce(T) -> Result<R, E>) -> Result<R, E> {
        let Tracked {
            value,
            registration,
        } = self;
        let mut entries = live();
        let result = finish(value);
        entries.retain(|e| e.id != registration.id);
        drop(entries);
        drop(registration);
        result
    }
}

impl<T> std::ops::Deref for Tracked<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.value
    }
}

/// Flushes a directory's entries to disk (after a rename into it, so the rename survives a
/// crash). A file system that cannot sync directories is not an error.
pub fn sync_dir(dir: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        let dir = if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            dir
        };
        match std::fs::File::open(dir).and_then(|d| d.sync_all()) {
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::InvalidInput | io::ErrorKind::Unsupported
                ) =>
            {
                Ok(())
            }
            other => other,
        }
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_registered_while_tracked_and_removed_by_cleanup() {
        let dir = tempfile::tempdir().unwrap();
        let file = Tracked::create(
            false,
            || tempfile::NamedTempFile::new_in(dir.path()),
            |t| t.path(),
        )
        .unwrap();
        let sub = Tracked::create(true, || tempfile::tempdir_in(dir.path()), |t| t.path()).unwrap();
        std::fs::write(sub.path().join("inner.csv"), "x").unwrap();
        let (f, d) = (file.path().to_path_buf(), sub.path().to_path_buf());
        let now = registered();
        assert!(now.contains(&f) && now.contains(&d), "{now:?}");
        // What the signal thread does, on this test's two entries only.
        let mine: Vec<Entry> = live()
            .iter()
            .filter(|e| e.path == f || e.path == d)
            .map(|e| Entry {
                id: e.id,
                path: e.path.clone(),
                dir: e.dir,
            })
            .collect();
        remove_all(&mine);
        assert!(!f.exists() && !d.exists());
        drop((file, sub));
        let now = registered();
        assert!(!now.contains(&f) && !now.contains(&d), "{now:?}");
    }

    #[test]
    fn settling_unregisters_the_path_whether_the_rename_succeeds_or_not() {
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("out.csv");
        let temp = Tracked::create(
            false,
            || tempfile::NamedTempFile::new_in(dir.path()),
            |t| t.path(),
        )
        .unwrap();
        let p = temp.path().to_path_buf();
        assert!(registered().contains(&p));
        // A rename into a missing directory fails: the error holds the file, unregistered.
        let err = temp
            .settle(|t| t.persist(dir.path().join("missing/out.csv")))
            .unwrap_err();
        assert!(p.exists() && !registered().contains(&p));
        let temp = Tracked::create(false, || Ok(err.file), |t| t.path()).unwrap();
        temp.settle(|t| t.persist(&dest)).unwrap();
        assert!(dest.exists() && !p.exists());
        assert!(!registered().contains(&p));
    }
}
