//! The agreement view of the page: the agreement figures per label as a heat map (rows:
//! labels, columns: the coefficients) and Cohen's kappa per annotator pair as an annotator ×
//! annotator heat map. Both are HTML tables, a background colour per cell and the value as
//! text; every string is escaped.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::html;
use crate::labels::{AgreementReport, Ci, Stat};

/// The background and text colours of a coefficient in [-1, 1]: white at 0 (chance),
/// blue towards 1, red towards -1 (values outside are clamped); grey when undefined.
pub fn colour(v: Option<f64>) -> (String, &'static str) {
    let Some(v) = v else {
        return ("#eeeeee".to_owned(), "#222");
    };
    let t = v.clamp(-1.0, 1.0);
    // ColorBrewer RdBu ends: #2166ac (1) and #b2182b (-1).
    let end = if t >= 0.0 {
        (33, 102, 172)
    } else {
        (178, 24, 43)
    };
    let a = t.abs();
    let mix = |e: u8| (255.0 - a * (255.0 - f64::from(e))).round() as u8;
    let bg = format!("#{:02x}{:02x}{:02x}", mix(end.0), mix(end.1), mix(end.2));
    (bg, if a > 0.55 { "#fff" } else { "#222" })
}

fn ci_text(ci: Option<Ci>) -> String {
    ci.map_or(String::new(), |c| format!(" [{:.3}, {:.3}]", c.lo, c.hi))
}

/// A heat-map cell: the value (3 decimals, `-` when undefined) on its colour, the exact
/// value in `data-v`, the interval (if any) in the title.
fn cell(v: Option<f64>, title: &str) -> String {
    let (bg, fg) = colour(v);
    format!(
        "<td data-v=\"{}\" style=\"background:{bg};color:{fg}\" title=\"{}\">{}</td>",
        v.map_or(String::new(), |v| v.to_string()),
        html(title),
        v.map_or("-".to_owned(), |v| format!("{v:.3}"))
    )
}

/// A pair's kappa, its items and its interval.
type PairCell = (Option<f64>, u64, Option<Ci>);

/// The agreement section.
pub fn section(o: &mut String, r: &AgreementReport) {
    o.push_str("<h2 id=agreement>Agreement between annotators</h2>\n");
    let _ = writeln!(
        o,
        "<p>Annotators: {}. Colour: blue above chance (1: perfect agreement), white at chance (0), red below; grey: undefined.{}</p>",
        r.annotators
            .iter()
            .map(|a| html(a))
            .collect::<Vec<_>>()
            .join(", "),
        match &r.bootstrap {
            Some(b) => format!(
                " Hover a cell for its 95% bootstrap interval ({} resamples of {} {}s, seed {}).",
                b.replicates,
                b.units,
                html(&b.unit),
                b.seed
            ),
            None => String::new(),
        }
    );
    o.push_str("<table class=\"sort heat\" id=t-agreement><caption>Agreement per label</caption><thead><tr><th scope=col>label</th><th scope=col>items</th><th scope=col>percent agreement</th><th scope=col>Fleiss&#39; kappa</th><th scope=col>Krippendorff&#39;s alpha</th><th scope=col>Gwet&#39;s AC1</th></tr></thead><tbody>\n");
    let rows = std::iter::once(("overall", &r.overall))
        .chain(r.labels.iter().map(|l| (l.label.as_str(), &l.agreement)));
    for (label, a) in rows {
        let stat = |name: &str, s: &Stat| {
            cell(
                s.value,
                &format!("{label}, {name}: {} items{}", s.items, ci_text(s.ci)),
            )
        };
        let _ = writeln!(
            o,
            "<tr><th scope=row data-v=\"{0}\">{0}</th><td data-v=\"{1}\">{1}</td>{2}{3}{4}{5}</tr>",
            html(label),
            a.items,
            stat("percent agreement", &a.percent_agreement),
            stat("Fleiss' kappa", &a.fleiss_kappa),
            stat("Krippendorff's alpha", &a.krippendorff_alpha),
            stat("Gwet's AC1", &a.gwet_ac1)
        );
    }
    o.push_str("</tbody></table>\n");

    // Cohen's kappa per pair, pooled over labels (the `overall` rows).
    if let Some(om) = &r.pairwise_omitted {
        let _ = writeln!(
            o,
            "<p class=note>Cohen&#39;s kappa per annotator pair is not in the agreement report: {} annotators make {} pairs, {} rows, above its limit of {}.</p>",
            om.annotators, om.pairs, om.rows, om.limit
        );
        return;
    }
    let kappa: BTreeMap<(&str, &str), PairCell> = r
        .overall
        .cohen
        .iter()
        .flat_map(|p| {
            let v = (p.kappa, p.items, p.ci.and_then(|c| c.kappa));
            [
                ((p.a.as_str(), p.b.as_str()), v),
                ((p.b.as_str(), p.a.as_str()), v),
            ]
        })
        .collect();
    if kappa.is_empty() {
        return;
    }
    o.push_str("<table class=heat id=t-kappa><caption>Cohen&#39;s kappa per annotator pair (all labels pooled)</caption><thead><tr><th scope=col></th>");
    for a in &r.annotators {
        let _ = write!(o, "<th scope=col>{}</th>", html(a));
    }
    o.push_str("</tr></thead><tbody>\n");
    for a in &r.annotators {
        let _ = write!(o, "<tr><th scope=row>{}</th>", html(a));
        for b in &r.annotators {
            match kappa.get(&(a.as_str(), b.as_str())) {
                Some((v, items, ci)) => o.push_str(&cell(
                    *v,
                    &format!("{a} and {b}: {items} items{}", ci_text(*ci)),
                )),
                None => o.push_str("<td></td>"),
            }
        }
        o.push_str("</tr>\n");
    }
    o.push_str("</tbody></table>\n");
}

#[cfg(test)]
mod tests {
    use super::colour;

    #[test]
    fn colours_run_from_red_through_white_to_blue() {
        // By hand: 0 is white; 1 and -1 the scale's ends; 0.5 halfway from 255 to each
        // component of #2166ac: (144, 178.5 -> 179 (round half away from zero), 213.5 ->
        // 214).
        assert_eq!(colour(Some(0.0)).0, "#ffffff");
        assert_eq!(colour(Some(1.0)), ("#2166ac".to_owned(), "#fff"));
        assert_eq!(colour(Some(-1.0)).0, "#b2182b");
        assert_eq!(colour(Some(2.0)).0, "#2166ac");
        assert_eq!(colour(Some(0.5)), ("#90b3d6".to_owned(), "#222"));
        assert_eq!(colour(None).0, "#eeeeee");
    }
}
