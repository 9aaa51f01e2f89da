//! Speed and memory of the label merge (ignored by default): generated annotator files,
//! parsed, merged, agreement and conflicts computed, with the peak RSS and CPU time read
//! from `/proc`. Run in release mode:
//!
//! ```sh
//! cargo test --release --lib labels_bench -- --ignored --nocapture
//! ```

use std::fmt::Write as _;
use std::time::Instant;

use crate::labels::{
    Conflict, ImportOptions, LabelFile, MergeOptions, SentenceIndex, agreement, conflicts, merge,
    parse_label_file,
};
use crate::rows::{SentenceKind, SentenceRow};

fn peak_rss_mib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024)
}

/// User + system CPU seconds of this process (robust to other load on the machine).
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let rest = &stat[stat.rfind(')')? + 2..];
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks: f64 = f.get(11)?.parse::<f64>().ok()? + f.get(12)?.parse::<f64>().ok()?;
    Some(ticks / 100.0)
}

/// 5 annotators × 2,000,000 label rows (500,000 sentences in 5,000 articles, 4 of
/// 20 labels per sentence, each annotator deviating on ~20% of sentences), generated
/// in memory, then parsed, merged, and agreement + conflicts computed.
/// Run: `cargo test --release --lib labels_bench -- --ignored --nocapture`.
#[test]
#[ignore = "performance check; run in release"]
fn merge_10m_rows() {
    const ARTICLES: usize = 5_000;
    const PER_ARTICLE: usize = 100;
    let mut rows = Vec::with_capacity(ARTICLES * PER_ARTICLE);
    for a in 0..ARTICLES {
        for i in 0..PER_ARTICLE {
            let start = (i * 50) as u64;
            rows.push(SentenceRow {
                article_id: format!("art{a}"),
                sentence_id: format!("art{a}:{i}"),
                index: i as u32,
                paragraph: 0,
                kind: SentenceKind::Body,
                start,
                end: start + 49,
                text: String::new(),
            });
        }
    }
    let labels: Vec<String> = (0..20).map(|l| format!("Label_{l},x")).collect();
    let mut texts = Vec::new();
    for ann in 0..5u64 {
        let mut t = String::with_capacity(80_000_000);
        t.push_str("sentence_id,label\n");
        let mut rng = 0x9e37_79b9_7f4a_7c15u64 ^ ann;
        for (s, row) in rows.iter().enumerate() {
            rng = rng
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            let deviate = (rng >> 33).is_multiple_of(5);
            let h = (s as u64).wrapping_mul(2_654_435_761) % 20 + if deviate { ann + 1 } else { 0 };
            for k in 0..4 {
                let l = &labels[((h + k * 5) % 20) as usize];
                let _ = writeln!(t, "{},\"{}\"", row.sentence_id, l);
            }
        }
        texts.push(t);
    }
    let cpu0 = cpu_seconds();
    let t0 = Instant::now();
    let index = SentenceIndex::new(&rows).unwrap();
    let files: Vec<LabelFile> = texts
        .iter()
        .enumerate()
        .map(|(i, t)| {
            parse_label_file(&format!("ann{i}.csv"), t, &index, &ImportOptions::default()).unwrap()
        })
        .collect();
    let parsed = t0.elapsed();
    let merged = merge(&index, &files, None, None, &MergeOptions::default()).unwrap();
    let merged_at = t0.elapsed();
    let report = agreement(&merged);
    let conflicts: Vec<Conflict> = conflicts(&merged, &index).collect();
    let total = t0.elapsed();
    let cpu = cpu_seconds().zip(cpu0).map(|(b, a)| b - a);
    eprintln!(
        "perf: index+parse {:.2?}, merge {:.2?}, agreement+conflicts {:.2?}, total {:.2?} (CPU {:?} s); \
         gold rows {}, conflicts {}, overall alpha {:?}, peak RSS {:?} MiB (incl. ~{} MiB of generated CSV text)",
        parsed,
        merged_at - parsed,
        total - merged_at,
        total,
        cpu,
        merged.gold.len(),
        conflicts.len(),
        report.overall.krippendorff_alpha.value,
        peak_rss_mib(),
        texts.iter().map(String::len).sum::<usize>() / (1 << 20),
    );
    assert_eq!(merged.summary.rows_read, 10_000_000);
    assert_eq!(merged.summary.rows_merged, 10_000_000);
    assert!(total.as_secs() < 30, "took {total:?}");
}
