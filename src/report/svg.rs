//! The report's charts as inline SVG: a few shapes and text per chart, every label escaped,
//! coordinates rounded to 0.1 so the same figures give the same bytes.

use std::fmt::Write as _;

use super::html;
use crate::eval::{Confusion, Row, RuleRow};

/// Colours for labels (Okabe-Ito, colour-blind safe), cycled.
const PALETTE: [&str; 8] = [
    "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000",
];

fn f(v: f64) -> String {
    format!("{:.1}", v)
}

/// Horizontal bars of precision, recall and F1 per label (in the rows' order), with the
/// bootstrap interval as a whisker when there is one; an undefined value has no bar.
pub fn label_bars(rows: &[Row]) -> String {
    let (left, width, bar, gap) = (260.0, 420.0, 7.0, 8.0);
    let group = 3.0 * bar + gap;
    let height = 30.0 + group * rows.len() as f64;
    let mut o = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" role=img aria-label=\"precision, recall and F1 per label\" width=\"{}\" height=\"{}\">",
        f(left + width + 20.0),
        f(height)
    );
    for t in [0.0, 0.25, 0.5, 0.75, 1.0] {
        let x = left + t * width;
        let _ = write!(
            o,
            "<line x1=\"{0}\" x2=\"{0}\" y1=\"14\" y2=\"{1}\" stroke=\"#ddd\"/><text x=\"{0}\" y=\"11\" text-anchor=\"middle\">{2}</text>",
            f(x),
            f(height),
            t
        );
    }
    let names = ["precision", "recall", "F1"];
    let colours = ["#0072B2", "#E69F00", "#009E73"];
    for (i, row) in rows.iter().enumerate() {
        let y0 = 20.0 + i as f64 * group;
        let _ = write!(
            o,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>",
            f(left - 6.0),
            f(y0 + 1.5 * bar + 4.0),
            html(&row.label)
        );
        let m = row.metrics;
        let ci = row.ci.unwrap_or_default();
        for (k, (v, iv)) in [
            (m.precision, ci.precision),
            (m.recall, ci.recall),
            (m.f1, ci.f1),
        ]
        .into_iter()
        .enumerate()
        {
            let y = y0 + k as f64 * bar;
            if let Some(v) = v {
                let _ = write!(
                    o,
                    "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\"><title>{} {}: {:.3}</title></rect>",
                    f(left),
                    f(y),
                    f(v * width),
                    f(bar - 1.0),
                    colours[k],
                    html(&row.label),
                    names[k],
                    v
                );
            }
            if let Some(iv) = iv {
                let ym = y + (bar - 1.0) / 2.0;
                let _ = write!(
                    o,
                    "<line x1=\"{}\" x2=\"{}\" y1=\"{2}\" y2=\"{2}\" stroke=\"#333\"/>",
                    f(left + iv.lo * width),
                    f(left + iv.hi * width),
                    f(ym)
                );
            }
        }
    }
    o.push_str("</svg>\n<p>");
    for (k, n) in names.iter().enumerate() {
        let _ = write!(o, "<span style=\"color:{}\">■</span> {n} ", colours[k]);
    }
    o.push_str("(whiskers: 95% interval)</p>\n");
    o
}

/// Precision (y) against sentences fired on (x, log scale), one point per rule, coloured
/// by the label's position in `labels`; rules that never fired are not drawn.
pub fn rule_scatter(rules: &[RuleRow], labels: &[&str]) -> String {
    let (left, top, width, height) = (50.0, 10.0, 560.0, 260.0);
    let max = rules.iter().map(|r| r.fired).max().unwrap_or(1).max(1) as f64;
    let lx = |n: u64| left + ((n as f64 + 1.0).ln() / (max + 1.0).ln()) * width;
    let ly = |p: f64| top + (1.0 - p) * height;
    let mut o = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" role=img aria-label=\"precision against sentences fired, per rule\" width=\"{}\" height=\"{}\">",
        f(left + width + 20.0),
        f(top + height + 40.0)
    );
    let _ = write!(
        o,
        "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"none\" stroke=\"#ccc\"/>",
        f(left),
        f(top),
        f(width),
        f(height)
    );
    for p in [0.0, 0.5, 1.0] {
        let _ = write!(
            o,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{p}</text>",
            f(left - 4.0),
            f(ly(p) + 4.0)
        );
    }
    for n in [0u64, max as u64] {
        let _ = write!(
            o,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{n}</text>",
            f(lx(n)),
            f(top + height + 14.0)
        );
    }
    let _ = write!(
        o,
        "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">sentences fired on (log scale)</text>",
        f(left + width / 2.0),
        f(top + height + 32.0)
    );
    for r in rules {
        let Some(p) = r.precision else { continue };
        let colour = labels
            .iter()
            .position(|l| *l == r.label)
            .map_or("#999", |i| PALETTE[i % PALETTE.len()]);
        let _ = write!(
            o,
            "<circle cx=\"{}\" cy=\"{}\" r=\"4\" fill=\"{colour}\" fill-opacity=\"0.75\"><title>{} ({}): precision {:.3}, fired {}</title></circle>",
            f(lx(r.fired)),
            f(ly(p)),
            html(&r.rule_id),
            html(&r.label),
            p,
            r.fired
        );
    }
    o.push_str("</svg>\n<p>");
    for (i, l) in labels.iter().enumerate() {
        let _ = write!(
            o,
            "<span style=\"color:{}\">●</span> {} ",
            PALETTE[i % PALETTE.len()],
            html(l)
        );
    }
    o.push_str("</p>\n");
    o
}

/// The confusion matrix as a heat map: rows gold, columns predicted, `none` last; a cell's
/// shade grows with its count (the largest count darkest), the count written in it.
pub fn confusion_heatmap(c: &Confusion) -> String {
    let n = c.labels.len() + 1;
    let (left, top, cell) = (260.0, 200.0, 28.0);
    let name = |i: usize| c.labels.get(i).map_or("none", String::as_str);
    let max = c.cells.iter().flatten().copied().max().unwrap_or(0).max(1) as f64;
    let mut o = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" role=img aria-label=\"label confusion heat map\" width=\"{}\" height=\"{}\">",
        f(left + cell * n as f64 + 20.0),
        f(top + cell * n as f64 + 10.0)
    );
    let _ = write!(
        o,
        "<text x=\"{}\" y=\"{}\" text-anchor=\"end\">gold ↓ / predicted →</text>",
        f(left - 6.0),
        f(top - 6.0)
    );
    for i in 0..n {
        let _ = write!(
            o,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>",
            f(left - 6.0),
            f(top + cell * i as f64 + cell / 2.0 + 4.0),
            html(name(i))
        );
        let x = left + cell * i as f64 + cell / 2.0 + 4.0;
        let _ = write!(
            o,
            "<text transform=\"translate({},{}) rotate(-60)\">{}</text>",
            f(x),
            f(top - 6.0),
            html(name(i))
        );
    }
    for (g, row) in c.cells.iter().enumerate() {
        for (p, &v) in row.iter().enumerate() {
            let shade = v as f64 / max;
            let (x, y) = (left + cell * p as f64, top + cell * g as f64);
            let _ = write!(
                o,
                "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"#0072B2\" fill-opacity=\"{:.3}\" stroke=\"#eee\"><title>gold {} / predicted {}: {v} sentences</title></rect><text x=\"{}\" y=\"{}\" text-anchor=\"middle\" fill=\"{}\">{v}</text>",
                f(x),
                f(y),
                f(cell),
                f(cell),
                shade,
                html(name(g)),
                html(name(p)),
                f(x + cell / 2.0),
                f(y + cell / 2.0 + 4.0),
                if shade > 0.5 { "#fff" } else { "#222" }
            );
        }
    }
    o.push_str("</svg>\n");
    o
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heatmap_writes_every_count_and_escapes_labels() {
        let c = Confusion {
            labels: vec!["<b>".into()],
            cells: vec![vec![3, 1], vec![0, 2]],
        };
        let s = confusion_heatmap(&c);
        assert!(!s.contains("<b>"), "{s}");
        assert!(s.contains("&lt;b&gt;"));
        // Four cells, each with its count as text; the largest (3) has full shade.
        assert_eq!(s.matches("<rect").count(), 4);
        assert!(s.contains("fill-opacity=\"1.000\""));
        for v in ["3 sentences", "1 sentences", "0 sentences", "2 sentences"] {
            assert!(s.contains(v), "{v}");
        }
    }

    #[test]
    fn scatter_places_points_by_precision() {
        let rule = |id: &str, fired: u64, p: Option<f64>| RuleRow {
            rule_id: id.into(),
            label: "X".into(),
            fired,
            tp: 0,
            fp: 0,
            precision: p,
            unique_tp: 0,
            overlap: 0,
            conflict: 0,
        };
        let s = rule_scatter(&[rule("a", 3, Some(1.0)), rule("b", 0, None)], &["X"]);
        // One point (the rule that never fired has no precision): x at the right end
        // (50 + 560), y at the top (10 + 0 * 260).
        assert_eq!(s.matches("<circle").count(), 1);
        assert!(s.contains("cx=\"610.0\" cy=\"10.0\""), "{s}");
    }
}
