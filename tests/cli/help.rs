//! `--help` of sentlab and of every subcommand, 100 columns wide. The README quotes these
//! texts: a snapshot that changes is a README section to check.

use crate::common::*;

/// The subcommands a help text lists under "Commands:" (clap's own `help` left out). A
/// command's line starts with two spaces; a wrapped description is indented further.
fn commands_listed(help: &str) -> Vec<String> {
    help.lines()
        .skip_while(|l| *l != "Commands:")
        .skip(1)
        .take_while(|l| !l.is_empty())
        .filter(|l| l.starts_with("  ") && !l.starts_with("   "))
        .map(|l| l.split_whitespace().next().unwrap().to_string())
        .filter(|c| c != "help")
        .collect()
}

/// Every help text, found by following "Commands:" from `sentlab --help` down: a subcommand
/// added later fails here until its snapshot is reviewed and committed.
#[test]
fn help_of_sentlab_and_of_every_subcommand() {
    let mut todo = vec![Vec::<String>::new()];
    let mut seen = Vec::new();
    while let Some(path) = todo.pop() {
        let mut args: Vec<&str> = path.iter().map(String::as_str).collect();
        args.push("--help");
        let help = help_of(&args);
        let name = if path.is_empty() {
            "help".to_string()
        } else {
            format!("help_{}", path.join("_"))
        };
        insta::assert_snapshot!(name, help);
        for c in commands_listed(&help).into_iter().rev() {
            let mut sub = path.clone();
            sub.push(c);
            todo.push(sub);
        }
        seen.push(path.join(" "));
    }
    // The walk reached the commands the README documents (so an unparsed list cannot pass).
    for c in [
        "",
        "split",
        "labels",
        "labels merge",
        "extract",
        "rules",
        "rules check",
        "rules explain",
        "rules list",
        "eval",
        "compare",
        "demo",
        "run",
        "export",
        "stats",
    ] {
        assert!(seen.iter().any(|s| s == c), "`{c}` not reached: {seen:?}");
    }
}
