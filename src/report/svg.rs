//! The report's charts, drawn by the `plotters` crate with its SVG backend into a string.
//!
//! plotters lays out every element in whole pixels and sizes text with its built-in font
//! estimate (no `ttf`/`ab_glyph` feature: no system fonts are read), so the same figures
//! give the same bytes on any machine. plotters escapes the text it writes (`<`, `>`, `&`,
//! `"`, `'`). Its SVG backend has no `<title>` element, so each chart is wrapped in an
//! outer `<svg>` holding plotters' drawing and, on top, invisible shapes at the same pixel
//! coordinates (taken from plotters' coordinate mapping) whose `<title>` the browser shows
//! on hover.

use std::fmt::Write as _;

use std::ops::Range;

use plotters::coord::Shift;
use plotters::coord::ranged1d::{DefaultFormatting, KeyPointHint};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::html;
use crate::eval::{Confusion, Row, RuleRow};

/// Colours for labels (Okabe-Ito, colour-blind safe), cycled.
const PALETTE: [RGBColor; 8] = [
    RGBColor(0x00, 0x72, 0xB2),
    RGBColor(0xE6, 0x9F, 0x00),
    RGBColor(0x00, 0x9E, 0x73),
    RGBColor(0xCC, 0x79, 0xA7),
    RGBColor(0x56, 0xB4, 0xE9),
    RGBColor(0xD5, 0x5E, 0x00),
    RGBColor(0xF0, 0xE4, 0x42),
    RGBColor(0x00, 0x00, 0x00),
];

/// Font of every text; plotters writes `font-size` as this size / 1.24 (about 12 px).
const FONT: &str = "sans-serif";
const TEXT: u32 = 15;
const GRID: RGBColor = RGBColor(0xDD, 0xDD, 0xDD);
const INK: RGBColor = RGBColor(0x33, 0x33, 0x33);

/// A linear or logarithmic f64 axis with the ticks given: plotters' own f64 axes choose
/// their ticks themselves, and its key-point wrapper over them takes no label formatter.
/// Positions are rounded to whole pixels, as plotters does.
struct Axis {
    range: Range<f64>,
    ticks: Vec<f64>,
    log: bool,
}

impl Axis {
    fn linear(range: Range<f64>, ticks: Vec<f64>) -> Axis {
        Axis {
            range,
            ticks,
            log: false,
        }
    }
}

impl Ranged for Axis {
    type FormatOption = DefaultFormatting;
    type ValueType = f64;

    fn map(&self, v: &f64, limit: (i32, i32)) -> i32 {
        let t = |x: f64| if self.log { x.ln() } else { x };
        let frac = (t(*v) - t(self.range.start)) / (t(self.range.end) - t(self.range.start));
        limit.0 + (frac * f64::from(limit.1 - limit.0)).round() as i32
    }

    fn key_points<H: KeyPointHint>(&self, hint: H) -> Vec<f64> {
        // Bold points only: no light grid lines between the ticks.
        if hint.weight().allow_light_points() {
            Vec::new()
        } else {
            self.ticks.clone()
        }
    }

    fn range(&self) -> Range<f64> {
        self.range.clone()
    }
}

type Drawn = Result<(), Box<dyn std::error::Error>>;
type Area<'a> = DrawingArea<SVGBackend<'a>, Shift>;

fn hex(c: RGBColor) -> String {
    format!("#{:02X}{:02X}{:02X}", c.0, c.1, c.2)
}

fn label_colour(labels: &[&str], label: &str) -> RGBColor {
    labels
        .iter()
        .position(|l| *l == label)
        .map_or(RGBColor(0x99, 0x99, 0x99), |i| PALETTE[i % PALETTE.len()])
}

/// Width in pixels plotters' font estimate gives the widest of `texts` (0 for none).
fn text_width<'s>(texts: impl IntoIterator<Item = &'s str>) -> u32 {
    let font = (FONT, TEXT).into_font();
    texts
        .into_iter()
        .map(|t| font.box_size(t).map_or(0, |(w, _)| w))
        .max()
        .unwrap_or(0)
}

/// Runs `draw` on a `width` x `height` plotters SVG canvas; `draw` also writes the hover
/// shapes (with their `<title>`) into its second argument. A drawing error becomes a line
/// of text in place of the chart (plotters' SVG backend writing to a string has none in
/// practice: its text layout cannot fail without a font feature).
fn chart(
    width: u32,
    height: u32,
    aria: &str,
    draw: impl FnOnce(&Area, &mut String) -> Drawn,
) -> String {
    let mut svg = String::new();
    let mut hover = String::new();
    let drawn = {
        let root = SVGBackend::with_string(&mut svg, (width, height)).into_drawing_area();
        draw(&root, &mut hover).and_then(|()| root.present().map_err(Into::into))
    };
    match drawn {
        Ok(()) => format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" role=img aria-label=\"{aria}\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\">\n{svg}<g fill=\"#000\" fill-opacity=\"0\">\n{hover}</g>\n</svg>\n"
        ),
        Err(e) => format!(
            "<p>The chart ({aria}) could not be drawn: {}</p>\n",
            html(&e.to_string())
        ),
    }
}

fn hover_rect(o: &mut String, (x0, y0): (i32, i32), (x1, y1): (i32, i32), title: &str) {
    let _ = writeln!(
        o,
        "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"><title>{title}</title></rect>",
        x0.min(x1),
        y0.min(y1),
        (x1 - x0).abs().max(1),
        (y1 - y0).abs().max(1)
    );
}

/// Horizontal bars of precision, recall and F1 per label (in the rows' order, first on
/// top), with the bootstrap interval as a whisker when there is one; an undefined value
/// has no bar.
pub fn label_bars(rows: &[Row]) -> String {
    let n = rows.len().max(1);
    let names = ["precision", "recall", "F1"];
    let colours = [PALETTE[0], PALETTE[1], PALETTE[2]];
    let label_area = text_width(rows.iter().map(|r| r.label.as_str())) + 12;
    let (plot_w, group_h) = (440, 27);
    let width = label_area + plot_w + 30;
    let height = 10 + 30 + group_h * n as u32 + 10;
    // Group i (from the top) spans y in [n-1-i, n-i): label at its centre, three bars.
    let y_of = |i: usize| (n - 1 - i) as f64;
    let mut o = chart(
        width,
        height,
        "precision, recall and F1 per label",
        |root, hover| {
            let centres: Vec<f64> = (0..n).map(|i| i as f64 + 0.5).collect();
            let mut c = ChartBuilder::on(root)
                .margin(10)
                .margin_right(20)
                .x_label_area_size(30)
                .y_label_area_size(label_area)
                .build_cartesian_2d(
                    Axis::linear(0.0..1.0, vec![0.0, 0.25, 0.5, 0.75, 1.0]),
                    Axis::linear(0.0..n as f64, centres),
                )?;
            let label_of = |y: &f64| {
                let from_bottom = y.floor() as usize;
                rows.get(n - 1 - from_bottom.min(n - 1))
                    .map_or(String::new(), |r| r.label.clone())
            };
            c.configure_mesh()
                .disable_y_mesh()
                .bold_line_style(GRID)
                .axis_style(INK)
                .x_labels(5)
                .y_labels(n)
                .label_style((FONT, TEXT))
                .x_label_formatter(&|x| format!("{x}"))
                .y_label_formatter(&label_of)
                .draw()?;
            for (i, row) in rows.iter().enumerate() {
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
                    // Bars top to bottom in the group: precision, recall, F1.
                    let top = y_of(i) + 0.9 - 0.27 * k as f64;
                    let bottom = top - 0.24;
                    if let Some(v) = v {
                        c.draw_series(std::iter::once(Rectangle::new(
                            [(0.0, top), (v, bottom)],
                            colours[k].filled(),
                        )))?;
                        hover_rect(
                            hover,
                            c.backend_coord(&(0.0, top)),
                            c.backend_coord(&(v, bottom)),
                            &format!("{} {}: {v:.3}", html(&row.label), names[k]),
                        );
                    }
                    if let Some(iv) = iv {
                        let ym = (top + bottom) / 2.0;
                        c.draw_series(std::iter::once(PathElement::new(
                            vec![(iv.lo, ym), (iv.hi, ym)],
                            INK.stroke_width(1),
                        )))?;
                        for x in [iv.lo, iv.hi] {
                            c.draw_series(std::iter::once(PathElement::new(
                                vec![(x, top - 0.04), (x, bottom + 0.04)],
                                INK.stroke_width(1),
                            )))?;
                        }
                    }
                }
            }
            Ok(())
        },
    );
    o.push_str("<p>");
    for (k, n) in names.iter().enumerate() {
        let _ = write!(o, "<span style=\"color:{}\">■</span> {n} ", hex(colours[k]));
    }
    o.push_str("(whiskers: 95% interval)</p>\n");
    o
}

/// Precision (y) against sentences fired on (x, log scale), one point per rule, coloured
/// by the label's position in `labels`; rules that never fired are not drawn.
pub fn rule_scatter(rules: &[RuleRow], labels: &[&str]) -> String {
    let shown: Vec<(&RuleRow, f64)> = rules
        .iter()
        .filter(|r| r.fired > 0)
        .filter_map(|r| r.precision.map(|p| (r, p)))
        .collect();
    let max = shown.iter().map(|(r, _)| r.fired).max().unwrap_or(1);
    // Decades 1, 10, 100, ... up to the first one at or above the largest count.
    let mut ticks = vec![1.0f64];
    while *ticks.last().unwrap() < max as f64 {
        ticks.push(ticks.last().unwrap() * 10.0);
    }
    if ticks.len() == 1 {
        ticks.push(10.0);
    }
    let top = *ticks.last().unwrap();
    let mut o = chart(
        640,
        330,
        "precision against sentences fired, per rule",
        |root, hover| {
            let mut c = ChartBuilder::on(root)
                .margin(10)
                .margin_right(20)
                .x_label_area_size(45)
                .y_label_area_size(60)
                .build_cartesian_2d(
                    Axis {
                        range: 0.8..top * 1.25,
                        ticks,
                        log: true,
                    },
                    Axis::linear(-0.04..1.04, vec![0.0, 0.25, 0.5, 0.75, 1.0]),
                )?;
            c.configure_mesh()
                .bold_line_style(GRID)
                .axis_style(INK)
                .label_style((FONT, TEXT))
                .x_label_formatter(&|x| format!("{x:.0}"))
                .y_label_formatter(&|y| format!("{y}"))
                .x_desc("sentences fired on (log scale)")
                .y_desc("precision")
                .draw()?;
            c.draw_series(shown.iter().map(|(r, p)| {
                Circle::new(
                    (r.fired as f64, *p),
                    4,
                    label_colour(labels, &r.label).mix(0.75).filled(),
                )
            }))?;
            for (r, p) in &shown {
                let (x, y) = c.backend_coord(&(r.fired as f64, *p));
                let _ = writeln!(
                    hover,
                    "<circle cx=\"{x}\" cy=\"{y}\" r=\"5\"><title>{} ({}): precision {p:.3}, fired {}</title></circle>",
                    html(&r.rule_id),
                    html(&r.label),
                    r.fired
                );
            }
            Ok(())
        },
    );
    o.push_str("<p>");
    for (i, l) in labels.iter().enumerate() {
        let _ = write!(
            o,
            "<span style=\"color:{}\">●</span> {} ",
            hex(PALETTE[i % PALETTE.len()]),
            html(l)
        );
    }
    o.push_str("</p>\n");
    o
}

/// The confusion matrix as a heat map: rows gold (top to bottom), columns predicted (left
/// to right), `none` last; a cell's shade grows with the logarithm of its count,
/// `ln(1 + count) / ln(1 + largest count)` rounded to 0.001 (the largest count darkest; on
/// a log scale, so the large (none, none) cell of a real corpus leaves the others visible),
/// the count written in it.
pub fn confusion_heatmap(c: &Confusion) -> String {
    let n = c.labels.len() + 1;
    let name = |i: usize| c.labels.get(i).map_or("none", String::as_str);
    let max = c.cells.iter().flatten().copied().max().unwrap_or(0).max(1) as f64;
    let cell = 30;
    let names_w = text_width((0..n).map(name)) + 12;
    // The left area holds the row names, the top one the column names (written upwards)
    // and, in the corner, which is which.
    let left = names_w.max(text_width(["gold ↓ / predicted →"]) + 12);
    let top_area = names_w;
    let width = 10 + left + cell * n as u32 + 20;
    let height = 10 + top_area + cell * n as u32 + 10;
    // Gold row g spans y in [n-1-g, n-g), predicted column p spans x in [p, p+1).
    let row_y = |g: usize| (n - 1 - g) as f64;
    chart(width, height, "label confusion heat map", |root, hover| {
        let centres: Vec<f64> = (0..n).map(|i| i as f64 + 0.5).collect();
        // No ticks on x: plotters places rotated axis labels over the cells, so the
        // column names are drawn below as text elements, upwards from the top edge.
        let mut ch = ChartBuilder::on(root)
            .margin(10)
            .margin_right(20)
            .top_x_label_area_size(top_area)
            .y_label_area_size(left)
            .build_cartesian_2d(
                Axis::linear(0.0..n as f64, Vec::new()),
                Axis::linear(0.0..n as f64, centres),
            )?;
        let row = |y: &f64| name(n - 1 - (y.floor() as usize).min(n - 1)).to_owned();
        ch.configure_mesh()
            .disable_mesh()
            .axis_style(INK)
            .y_labels(n)
            .label_style((FONT, TEXT))
            .y_label_formatter(&row)
            .draw()?;
        let upwards = (FONT, TEXT)
            .into_font()
            .color(&BLACK)
            .transform(FontTransform::Rotate270)
            .pos(Pos::new(HPos::Left, VPos::Center));
        for p in 0..n {
            let (x, y) = ch.backend_coord(&(p as f64 + 0.5, n as f64));
            root.draw(&Text::new(name(p).to_owned(), (x, y - 6), upwards.clone()))?;
        }
        let (x, y) = ch.backend_coord(&(0.0, n as f64));
        root.draw(&Text::new(
            "gold ↓ / predicted →",
            (x - 6, y - 6),
            (FONT, TEXT)
                .into_font()
                .color(&BLACK)
                .pos(Pos::new(HPos::Right, VPos::Bottom)),
        ))?;
        for (g, cells) in c.cells.iter().enumerate() {
            for (p, &v) in cells.iter().enumerate() {
                let shade = ((1.0 + v as f64).ln() / (1.0 + max).ln() * 1000.0).round() / 1000.0;
                let (x0, y0) = (p as f64, row_y(g) + 1.0);
                let (x1, y1) = (x0 + 1.0, row_y(g));
                ch.draw_series([
                    Rectangle::new([(x0, y0), (x1, y1)], PALETTE[0].mix(shade).filled()),
                    Rectangle::new([(x0, y0), (x1, y1)], RGBColor(0xEE, 0xEE, 0xEE)),
                ])?;
                let ink = if shade > 0.5 {
                    WHITE
                } else {
                    RGBColor(0x22, 0x22, 0x22)
                };
                ch.draw_series(std::iter::once(Text::new(
                    v.to_string(),
                    (x0 + 0.5, y1 + 0.5),
                    (FONT, TEXT)
                        .into_font()
                        .color(&ink)
                        .pos(Pos::new(HPos::Center, VPos::Center)),
                )))?;
                hover_rect(
                    hover,
                    ch.backend_coord(&(x0, y0)),
                    ch.backend_coord(&(x1, y1)),
                    &format!(
                        "gold {} / predicted {}: {v} sentences",
                        html(name(g)),
                        html(name(p))
                    ),
                );
            }
        }
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::{Cis, Interval, Prf};

    fn row(label: &str, p: Option<f64>, r: Option<f64>, f1: Option<f64>) -> Row {
        Row {
            label: label.into(),
            tp: None,
            fp: None,
            fn_: None,
            predicted: None,
            support: None,
            metrics: Prf {
                precision: p,
                recall: r,
                f1,
            },
            ci: Some(Cis {
                precision: p.map(|_| Interval { lo: 0.1, hi: 0.9 }),
                ..Default::default()
            }),
        }
    }

    fn rule(id: &str, label: &str, fired: u64, p: Option<f64>) -> RuleRow {
        RuleRow {
            rule_id: id.into(),
            label: label.into(),
            fired,
            tp: 0,
            fp: 0,
            precision: p,
            unique_tp: 0,
            overlap: 0,
            conflict: 0,
        }
    }

    /// The `(x, y)` of every hover circle (after plotters' drawing), in drawing order.
    fn hover_circles(s: &str) -> Vec<(i32, i32)> {
        let s = &s[s.find("fill-opacity=\"0\">").unwrap()..];
        s.match_indices("<circle cx=\"")
            .map(|(i, _)| {
                let attr = |name: &str| {
                    let rest = &s[i..];
                    let from = rest.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
                    let to = from + rest[from..].find('"').unwrap();
                    rest[from..to].parse::<i32>().unwrap()
                };
                (attr("cx"), attr("cy"))
            })
            .collect()
    }

    #[test]
    fn every_chart_escapes_labels_and_rule_ids() {
        // By hand: `<b>&"` escaped is `&lt;b&gt;&amp;&quot;` (plotters' text and our
        // titles and legends alike); the raw form must appear nowhere.
        let bad = "<b>&\"";
        let bars = label_bars(&[row(bad, Some(0.5), Some(0.5), Some(0.5))]);
        let scatter = rule_scatter(&[rule(bad, bad, 3, Some(0.5))], &[bad]);
        let heat = confusion_heatmap(&Confusion {
            labels: vec![bad.into()],
            cells: vec![vec![1, 0], vec![0, 0]],
        });
        for s in [&bars, &scatter, &heat] {
            assert!(!s.contains("<b>"), "{s}");
            assert!(s.contains("&lt;b&gt;&amp;&quot;"), "{s}");
        }
        // The label is drawn by plotters as an axis label (bars, heat map) and named in
        // the hover titles.
        assert!(bars.contains("&lt;b&gt;&amp;&quot;\n</text>"), "{bars}");
        assert!(heat.contains("&lt;b&gt;&amp;&quot;\n</text>"), "{heat}");
        assert!(scatter.contains("<title>&lt;b&gt;&amp;&quot; (&lt;b&gt;&amp;&quot;)"));
    }

    #[test]
    fn the_same_figures_give_the_same_bytes() {
        let rows = [
            row("A", Some(0.25), Some(0.5), Some(1.0 / 3.0)),
            row("B", None, Some(0.0), None),
        ];
        let rules = [
            rule("r1", "A", 7, Some(0.4)),
            rule("r2", "B", 120, Some(1.0)),
        ];
        let conf = Confusion {
            labels: vec!["A".into(), "B".into()],
            cells: vec![vec![3, 1, 0], vec![0, 2, 5], vec![4, 0, 0]],
        };
        assert_eq!(label_bars(&rows), label_bars(&rows));
        assert_eq!(
            rule_scatter(&rules, &["A", "B"]),
            rule_scatter(&rules, &["A", "B"])
        );
        assert_eq!(confusion_heatmap(&conf), confusion_heatmap(&conf));
        // Nothing but the figures goes in: a chart with no error is plotters' drawing.
        assert!(!label_bars(&rows).contains("could not be drawn"));
    }

    #[test]
    fn bars_skip_undefined_values_and_draw_whiskers() {
        // A: three defined values; B: recall only. So 4 bars (one hover title each) in
        // the bar colours, and one whisker (A's precision: a line and two end caps).
        let s = label_bars(&[
            row("A", Some(0.5), Some(1.0), Some(2.0 / 3.0)),
            row("B", None, Some(0.25), None),
        ]);
        assert_eq!(s.matches("<title>").count(), 4, "{s}");
        assert!(s.contains("<title>A precision: 0.500</title>"));
        assert!(s.contains("<title>A F1: 0.667</title>"));
        assert!(s.contains("<title>B recall: 0.250</title>"));
        assert!(!s.contains("B precision"));
        assert_eq!(
            s.matches("fill=\"#0072B2\" stroke=\"none\"").count(),
            1,
            "{s}"
        );
        assert_eq!(s.matches("fill=\"#E69F00\" stroke=\"none\"").count(), 2);
        assert_eq!(s.matches("fill=\"#009E73\" stroke=\"none\"").count(), 1);
        assert_eq!(s.matches("stroke=\"#333333\"").count() - axis_lines(&s), 3);
    }

    /// Lines in the axis colour that belong to the axes and ticks, not to whiskers:
    /// everything in the ink colour drawn before the first bar.
    fn axis_lines(s: &str) -> usize {
        let first_bar = s.find("fill=\"#0072B2\" stroke=\"none\"").unwrap();
        s[..first_bar].matches("stroke=\"#333333\"").count()
    }

    #[test]
    fn scatter_is_log_in_x_and_linear_in_precision() {
        // Points at 1, 10 and 100 sentences are evenly spaced in x (log scale, up to one
        // pixel of rounding); precision 1.0 is above 0.5 which is above 0.0, evenly.
        let s = rule_scatter(
            &[
                rule("a", "X", 1, Some(0.0)),
                rule("b", "X", 10, Some(0.5)),
                rule("c", "Y", 100, Some(1.0)),
                rule("never", "X", 0, None),
            ],
            &["X", "Y"],
        );
        let pts = hover_circles(&s);
        assert_eq!(pts.len(), 3, "{s}");
        let (dx1, dx2) = (pts[1].0 - pts[0].0, pts[2].0 - pts[1].0);
        assert!(dx1 > 50 && (dx1 - dx2).abs() <= 1, "{pts:?}");
        let (dy1, dy2) = (pts[0].1 - pts[1].1, pts[1].1 - pts[2].1);
        assert!(dy1 > 50 && (dy1 - dy2).abs() <= 1, "{pts:?}");
        // Colours by label position: X the first palette colour, Y the second.
        assert_eq!(s.matches("opacity=\"0.75\" fill=\"#0072B2\"").count(), 2);
        assert_eq!(s.matches("opacity=\"0.75\" fill=\"#E69F00\"").count(), 1);
        assert!(s.contains("<title>c (Y): precision 1.000, fired 100</title>"));
    }

    #[test]
    fn heatmap_writes_every_count_and_shades_by_count() {
        let c = Confusion {
            labels: vec!["A".into()],
            cells: vec![vec![4, 1], vec![0, 2]],
        };
        let s = confusion_heatmap(&c);
        // Four cells, each with its count as text and a hover title.
        for v in [
            "gold A / predicted A: 4 sentences",
            "gold A / predicted none: 1 sentences",
            "gold none / predicted A: 0 sentences",
            "gold none / predicted none: 2 sentences",
        ] {
            assert!(s.contains(v), "{v}");
        }
        for v in ["4", "1", "0", "2"] {
            assert!(s.contains(&format!(">\n{v}\n</text>")), "{v}: {s}");
        }
        // Shade is ln(1 + count) / ln(1 + largest count), to 0.001: 4 -> 1, 1 -> ln 2 / ln 5
        // = 0.693147 / 1.609438 = 0.431, 2 -> ln 3 / ln 5 = 1.098612 / 1.609438 = 0.683;
        // 0 is not filled.
        for a in ["1", "0.431", "0.683"] {
            assert!(
                s.contains(&format!("opacity=\"{a}\" fill=\"#0072B2\" stroke=\"none\"")),
                "{a}: {s}"
            );
        }
    }
}
