//! The documentation is tested: every rule example in `docs/rules.md` is checked with
//! `sentlab rules check` and every `sentlab rules explain` shown there is run and compared;
//! `docs/cli.md` must be exactly the `--help` text of every command.
//!
//! To regenerate `docs/cli.md` after changing the command line:
//! `SENTLAB_UPDATE_DOCS=1 cargo test --release --locked --test cli docs::`.

use std::path::{Path, PathBuf};
use std::process::Command;

fn sentlab_with_pinned_width() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_sentlab"));
    // clap wraps help at the terminal width, read from COLUMNS when no terminal is attached:
    // pin it so the reference does not depend on who runs the test.
    cmd.env("COLUMNS", "100");
    cmd
}

fn docs_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("docs")
}

/// A fenced block of a markdown file: its info string, its lines (indentation of the fence
/// removed) and the line of the file it starts on. A block whose info string is
/// `text file:PATH` is a file the rule examples after it read, written to PATH beside them.
struct Block {
    info: String,
    lines: Vec<String>,
    line: usize,
}

fn fenced_blocks(text: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut open: Option<(usize, Block)> = None;
    for (i, raw) in text.lines().enumerate() {
        let trimmed = raw.trim_start();
        let indent = raw.len() - trimmed.len();
        match open.take() {
            None => {
                if let Some(info) = trimmed.strip_prefix("```") {
                    let block = Block {
                        info: info.trim().to_string(),
                        lines: Vec::new(),
                        line: i + 1,
                    };
                    open = Some((indent, block));
                }
            }
            Some((fence_indent, mut block)) => {
                if trimmed == "```" {
                    blocks.push(block);
                } else {
                    let line = raw.get(fence_indent.min(indent)..).unwrap_or("");
                    block.lines.push(line.to_string());
                    open = Some((fence_indent, block));
                }
            }
        }
    }
    assert!(open.is_none(), "unclosed code block");
    blocks
}

/// `$ sentlab rules explain rules.toml "sentence"` (or single quotes): the sentence.
fn explain_argument(command: &str) -> Option<String> {
    let rest = command.strip_prefix("$ sentlab rules explain rules.toml ")?;
    let quote = rest.chars().next()?;
    assert!(
        quote == '"' || quote == '\'',
        "quote the sentence: {command}"
    );
    let inner = rest.strip_prefix(quote)?.strip_suffix(quote)?;
    assert!(!inner.contains(quote), "no nested quotes: {command}");
    Some(inner.to_string())
}

#[test]
fn rules_md_examples_check_and_explain_as_shown() {
    let path = docs_dir().join("rules.md");
    let text = std::fs::read_to_string(&path).unwrap();
    let blocks = fenced_blocks(&text);
    let dir = tempfile::tempdir().unwrap();
    let rules = dir.path().join("rules.toml");
    let (mut checked, mut explained) = (0, 0);
    let mut have_rules = false;
    for block in &blocks {
        if let Some(file) = block.info.strip_prefix("text file:") {
            let target = dir.path().join(file);
            std::fs::create_dir_all(target.parent().unwrap()).unwrap();
            std::fs::write(&target, block.lines.join("\n") + "\n").unwrap();
        } else if block.info == "toml" {
            std::fs::write(&rules, block.lines.join("\n") + "\n").unwrap();
            let out = sentlab_with_pinned_width()
                .arg("rules")
                .arg("check")
                .arg(&rules)
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "docs/rules.md:{}: `rules check` fails on this example:\n{}",
                block.line,
                String::from_utf8_lossy(&out.stderr)
            );
            have_rules = true;
            checked += 1;
        } else if block.info == "console" {
            // Commands and the output lines after each, up to the next command.
            let mut i = 0;
            while i < block.lines.len() {
                let command = &block.lines[i];
                let mut j = i + 1;
                while j < block.lines.len() && !block.lines[j].starts_with("$ ") {
                    j += 1;
                }
                if let Some(sentence) = explain_argument(command) {
                    assert!(
                        have_rules,
                        "docs/rules.md:{}: explain before any rules",
                        block.line
                    );
                    let out = sentlab_with_pinned_width()
                        .current_dir(dir.path())
                        .args(["rules", "explain", "rules.toml", &sentence])
                        .output()
                        .unwrap();
                    assert!(
                        out.status.success(),
                        "{}",
                        String::from_utf8_lossy(&out.stderr)
                    );
                    let expected = block.lines[i + 1..j].join("\n") + "\n";
                    assert_eq!(
                        String::from_utf8_lossy(&out.stdout),
                        expected,
                        "docs/rules.md:{}: `{command}` prints something else",
                        block.line
                    );
                    explained += 1;
                }
                i = j;
            }
        }
    }
    // The page has nine rule files and eleven explained sentences; a parser that found
    // none would pass vacuously.
    assert_eq!((checked, explained), (9, 11));
}

/// Every command with its own `--help`, in the order of the reference.
const COMMANDS: &[&[&str]] = &[
    &[],
    &["split"],
    &["labels", "merge"],
    &["extract"],
    &["rules", "check"],
    &["rules", "explain"],
    &["rules", "suggest"],
    &["rules", "list"],
    &["eval"],
    &["compare"],
    &["demo"],
    &["run"],
    &["export"],
    &["stats"],
    &["report"],
    &["combine"],
];

fn help(command: &[&str]) -> String {
    let out = sentlab_with_pinned_width()
        .args(command)
        .arg("--help")
        .output()
        .unwrap();
    assert!(out.status.success(), "{command:?} --help failed");
    String::from_utf8(out.stdout).unwrap()
}

fn cli_reference() -> String {
    let mut doc = String::from(
        "# Command-line reference\n\n\
         The `--help` text of every command (generated; the test suite checks it is current).\n",
    );
    for command in COMMANDS {
        let name = std::iter::once("sentlab")
            .chain(command.iter().copied())
            .collect::<Vec<_>>()
            .join(" ");
        doc.push_str(&format!(
            "\n## `{name}`\n\n```text\n$ {name} --help\n{}```\n",
            help(command)
        ));
    }
    doc
}

#[test]
fn cli_md_is_the_help_of_every_command() {
    // A subcommand added to the tool must be added to the reference too.
    let top = help(&[]);
    let listed: Vec<&str> = top
        .lines()
        .skip_while(|l| !l.starts_with("Commands:"))
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .filter_map(|l| l.split_whitespace().next())
        .filter(|name| *name != "help")
        .collect();
    assert!(listed.len() >= 8, "commands not found in --help:\n{top}");
    for name in listed {
        assert!(
            COMMANDS.iter().any(|c| c.first() == Some(&name)),
            "`{name}` missing from the reference"
        );
    }
    let path = docs_dir().join("cli.md");
    let expected = cli_reference();
    if std::env::var_os("SENTLAB_UPDATE_DOCS").is_some() {
        std::fs::write(&path, &expected).unwrap();
    }
    let actual = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        actual == expected,
        "docs/cli.md is not the current --help text; regenerate it with \
         SENTLAB_UPDATE_DOCS=1 cargo test --release --locked --test cli docs::"
    );
}

#[test]
fn every_test_the_guarantees_name_exists() {
    let text = std::fs::read_to_string(docs_dir().join("guarantees.md")).unwrap();
    let tests_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cli");
    let mut named = 0;
    for line in text
        .lines()
        .filter(|l| l.trim_start().starts_with("*Tests:*"))
    {
        for name in line.split('`').skip(1).step_by(2) {
            let Some((module, test)) = name.split_once("::") else {
                continue;
            };
            if module == "reader_fuzz" {
                continue;
            }
            let source = std::fs::read_to_string(tests_dir.join(format!("{module}.rs")))
                .unwrap_or_else(|_| {
                    panic!("docs/guarantees.md names `{name}`: no tests/cli/{module}.rs")
                });
            assert!(
                source.contains(&format!("fn {test}(")),
                "docs/guarantees.md names `{name}`, which tests/cli/{module}.rs does not define"
            );
            named += 1;
        }
    }
    // Every promise names at least one test.
    let promises = text.lines().filter(|l| l.starts_with("- **")).count();
    let with_tests = text
        .lines()
        .filter(|l| l.trim_start().starts_with("*Tests:*"))
        .count();
    assert_eq!(promises, with_tests, "a promise without its tests");
    assert!(named >= promises, "{named} tests named");
}
