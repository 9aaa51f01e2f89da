//! sentlab end to end: the real binary on fixtures made in temp dirs (values checked by hand
//! in the comments). One test binary, one module per subcommand.

mod common;

mod bounds;
mod combine;
mod compare;
mod conventions;
mod docs;
mod eval;
mod export;
mod extract;
mod help;
mod inputs;
mod merge;
mod outputs;
mod report;
mod rules;
mod run;
mod safety;
mod split;
mod stats;
