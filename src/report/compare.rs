//! The compare view of the page: per label, micro and macro, the F1 of A and of B, the
//! difference B − A, its 95% paired bootstrap interval and the paired approximate
//! randomisation p-value (the figures of `sentlab compare`).

use std::fmt::Write as _;

use super::{Compared, html};

fn cell(v: Option<f64>, digits: usize) -> String {
    format!(
        "<td data-v=\"{}\">{}</td>",
        v.map_or(String::new(), |v| v.to_string()),
        v.map_or("-".to_owned(), |v| format!("{v:.digits$}"))
    )
}

/// The compare section.
pub fn section(o: &mut String, c: &Compared) {
    let opts = &c.comparison.options;
    o.push_str("<h2 id=compare>A against B</h2>\n");
    let _ = writeln!(
        o,
        "<p>A: <code>{}</code>, B: <code>{}</code>, both against the same gold, as <code>sentlab compare</code> scores them (sentence level). Difference: F1 of B minus F1 of A (an undefined F1 counts as 0); positive: B is better. 95% interval: {} paired bootstrap resamples of articles; p: two-sided paired approximate randomisation, {} permutations swapping A and B per article; seed {}. The other sections are about A.</p>",
        html(&c.a),
        html(&c.b),
        opts.replicates,
        opts.permutations,
        opts.seed
    );
    o.push_str("<table class=sort id=t-compare><thead><tr><th>label</th><th>F1 A</th><th>F1 B</th><th>difference</th><th>95% interval</th><th>p</th></tr></thead><tbody>\n");
    // Label rows, then micro and macro in the table's foot, where sorting leaves them.
    let labels = c.comparison.rows.len().saturating_sub(2);
    for (i, r) in c.comparison.rows.iter().enumerate() {
        if i == labels {
            o.push_str("</tbody><tfoot>\n");
        }
        let ci = match r.ci {
            Some(i) => format!("<td data-v=\"{}\">[{:.3}, {:.3}]</td>", i.lo, i.lo, i.hi),
            None => "<td data-v=\"\">-</td>".to_owned(),
        };
        let _ = writeln!(
            o,
            "<tr><th scope=row data-v=\"{0}\">{0}</th>{1}{2}{3}{ci}{4}</tr>",
            html(&r.name),
            cell(r.a.f1, 3),
            cell(r.b.f1, 3),
            cell(Some(r.diff), 3),
            cell(Some(r.p), 4)
        );
    }
    o.push_str(if labels < c.comparison.rows.len() {
        "</tfoot></table>\n"
    } else {
        "</tbody></table>\n"
    });
}
