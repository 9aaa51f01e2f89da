//! The HTML page of `sentlab report`: rows in, one self-contained HTML text out (pure; no
//! file access). Every input string goes through [`html`] (text and attribute values) or
//! [`script_json`] (JSON inside `<script>`); charts are inline SVG from [`svg`]; the page
//! loads nothing (its Content-Security-Policy forbids it) and has no timestamp or random id.

pub mod agreement;
pub mod build;
pub mod compare;
pub mod svg;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use crate::eval::{ArticleRow, Confusion, Report, Row, RuleRow};
use crate::rows::{PredictionRow, SentenceRow};

/// Escapes text for HTML element content and quoted attribute values: `& < > " '`.
pub fn html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Makes JSON text safe inside a `<script>` element: `<`, `>`, `&`, U+2028 and U+2029 as
/// `\u` escapes (the same JSON value; no `</script>` or `<!--` can appear).
pub fn script_json(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

/// The Content-Security-Policy of the page: nothing may be loaded.
pub const CSP: &str =
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:";

/// Where the page comes from, stated at its top.
pub struct Provenance {
    /// sentlab's version.
    pub version: String,
    /// The command line, as typed.
    pub command: String,
    /// (what, SHA-256 hex) of each input hashed: rules, gold, predictions.
    pub hashes: Vec<(String, String)>,
}

/// Prediction rows whose label no gold row has (scored as false positives).
#[derive(Debug, Clone, PartialEq)]
pub struct UnseenLabels {
    /// The prediction table, as named in messages.
    pub table: String,
    /// Its rows with such a label.
    pub rows: usize,
    /// The labels, sorted.
    pub labels: Vec<String>,
}

impl UnseenLabels {
    /// The warning for stderr.
    pub fn warning(&self) -> String {
        let labels: Vec<String> = self.labels.iter().map(|l| format!("`{l}`")).collect();
        format!(
            "{}: {} prediction row{} a label the gold never has: {} (scored as false positives: each such label has F1 0 and lowers the macro average)",
            self.table,
            self.rows,
            if self.rows == 1 { " has" } else { "s have" },
            labels.join(", ")
        )
    }

    /// The note of the page (`id`: its element id).
    fn note(&self, id: &str) -> String {
        let labels: Vec<String> = self
            .labels
            .iter()
            .map(|l| format!("<code>{}</code>", html(l)))
            .collect();
        format!(
            "<p class=note id={id}>{}: {} prediction row{} a label the gold never has: {}. They are scored as false positives: each such label has F1 0 and lowers the macro average.</p>\n",
            html(&self.table),
            self.rows,
            if self.rows == 1 { " has" } else { "s have" },
            labels.join(", ")
        )
    }
}

/// The comparison of two prediction sets, with their names.
pub struct Compared {
    /// The rows, as `compare` computes them.
    pub comparison: crate::eval::compare::Comparison,
    /// The name of A.
    pub a: String,
    /// The name of B.
    pub b: String,
}

/// The part of a gold span inside one sentence.
#[derive(Debug, Clone, PartialEq)]
pub struct GoldPart {
    /// The sentence (index in the sentence rows).
    pub sentence: usize,
    /// Code-point offset of the part in the sentence text.
    pub start: u64,
    /// Code-point offset one past the part's end in the sentence text.
    pub end: u64,
    /// The gold label.
    pub label: String,
}

/// Everything the page shows.
pub struct PageData<'a> {
    /// The compare view of two prediction sets, if a second one was given.
    pub compare: Option<&'a Compared>,
    /// Prediction rows with labels no gold row has, per prediction table that has any
    /// (A, then B).
    pub unseen: &'a [UnseenLabels],
    /// The agreement report of the annotators (`labels merge --report`), if given.
    pub agreement: Option<&'a crate::labels::AgreementReport>,
    /// Per-label report with averages (and intervals).
    pub report: &'a Report,
    /// Per-rule rows.
    pub rules: &'a [RuleRow],
    /// Per-article rows, in table order.
    pub articles: &'a [ArticleRow],
    /// The confusion matrix.
    pub confusion: &'a Confusion,
    /// The sentence rows (for the error browser).
    pub sentences: &'a [SentenceRow],
    /// Gold (sentence index, label) pairs, deduplicated.
    pub gold: &'a BTreeSet<(usize, String)>,
    /// The parts of gold spans in the sentences (gold from PTC span files; empty for a
    /// label table).
    pub gold_parts: &'a [GoldPart],
    /// Prediction rows with their sentence index.
    pub predictions: &'a [(usize, &'a PredictionRow)],
    /// The JSON of the report views (the same as `eval --format json` for each view).
    pub json: &'a str,
    /// At most this many articles in the error browser.
    pub max_articles: usize,
    /// Where the page comes from.
    pub provenance: &'a Provenance,
}

fn num(v: Option<f64>) -> String {
    v.map_or("-".to_owned(), |v| format!("{v:.3}"))
}

/// A table cell with its exact value in `data-v` (used for sorting; empty when undefined).
fn cell_f(v: Option<f64>) -> String {
    format!(
        "<td data-v=\"{}\">{}</td>",
        v.map_or(String::new(), |v| v.to_string()),
        num(v)
    )
}

fn cell_i(v: Option<u64>) -> String {
    let s = v.map_or(String::new(), |v| v.to_string());
    format!("<td data-v=\"{s}\">{s}</td>")
}

fn cell_t(s: &str) -> String {
    format!("<td data-v=\"{0}\">{0}</td>", html(s))
}

fn interval(row: &Row) -> String {
    let Some(ci) = row.ci else {
        return String::new();
    };
    let f = |i: Option<crate::eval::Interval>| {
        i.map_or("-".to_owned(), |i| format!("[{:.3}, {:.3}]", i.lo, i.hi))
    };
    format!(
        "<span class=ci>P {} · R {} · F1 {}</span>",
        f(ci.precision),
        f(ci.recall),
        f(ci.f1)
    )
}

const STYLE: &str = "body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;max-width:1100px;color:#222}\
h1{font-size:1.4em}h2{margin-top:2em;border-bottom:1px solid #ccc}\
table{border-collapse:collapse;margin:.5em 0}td,th{padding:2px 8px;border-bottom:1px solid #eee;text-align:right}\
td:first-child,th:first-child{text-align:left}th{cursor:pointer;background:#f5f5f5}\
.cards{display:flex;gap:1em;flex-wrap:wrap}.card{border:1px solid #ccc;border-radius:6px;padding:.6em 1em}\
.card b{font-size:1.5em;display:block}.ci{color:#666;font-size:.85em;display:block}\
.prov{color:#555;font-size:.85em;word-break:break-all}.note{background:#fff8e1;padding:.4em .8em}\
.art{border:1px solid #ddd;border-radius:6px;padding:.5em 1em;margin:1em 0}\
.s{margin:.3em 0;padding:.1em .3em;line-height:2.1}.s.gold{border-left:4px solid #2e7d32}\
mark.tp{background:#c8e6c9}mark.fp{background:#ffcdd2}.b{font-size:.8em;border-radius:3px;padding:0 4px;margin-left:4px}\
.b.gold{background:#e8f5e9;color:#1b5e20}.b.fn{background:#fff3e0;color:#e65100;border:1px dashed #e65100}\
.g{border-bottom:2px solid #1565c0;padding-bottom:1px}.g .g{padding-bottom:5px}.g .g .g{padding-bottom:9px}\
.g.gfn{border-bottom-style:dashed}.gs::before,.ge::after{color:#1565c0;font-weight:bold}.gs::before{content:\"[\"}.ge::after{content:\"]\"}\
.g.off{border-bottom-color:#dde3ea}.g.off::before,.g.off::after{color:#dde3ea}\
.hid{display:none}svg text{font:11px sans-serif}table.heat td{text-align:center;min-width:3.5em}caption{text-align:left;font-weight:bold}";

const SCRIPT: &str = r#"(function(){
function val(td){var v=td.getAttribute('data-v');if(v===null||v==='')return null;var n=Number(v);return isNaN(n)?v:n;}
document.querySelectorAll('table.sort').forEach(function(t){
 t.querySelectorAll('thead th').forEach(function(th,i){th.addEventListener('click',function(){
  var body=t.tBodies[0],rows=Array.prototype.slice.call(body.rows),dir=th.getAttribute('data-dir')==='asc'?-1:1;
  th.setAttribute('data-dir',dir===1?'asc':'desc');
  rows.sort(function(a,b){var x=val(a.cells[i]),y=val(b.cells[i]);if(x===y)return 0;if(x===null)return 1;if(y===null)return -1;return (x<y?-1:1)*dir;});
  rows.forEach(function(r){body.appendChild(r);});});});});
var fl=document.getElementById('f-label'),fr=document.getElementById('f-rule'),fk=document.querySelectorAll('input[data-kind]');
function shows(e,k,l,r,kinds){return kinds[e.getAttribute(k)]&&(l===''||e.getAttribute('data-label')===l)&&(r===''||e.getAttribute('data-rule')===r);}
function apply(){var l=fl.value,r=fr.value,kinds={};fk.forEach(function(c){kinds[c.getAttribute('data-kind')]=c.checked;});
 document.querySelectorAll('[data-e]').forEach(function(e){var ok=shows(e,'data-e',l,r,kinds);e.classList.toggle('off',!ok);e.style.opacity=ok?'':'0.15';});
 document.querySelectorAll('[data-g]').forEach(function(e){e.classList.toggle('off',!shows(e,'data-g',l,r,kinds));});}
if(fl){fl.addEventListener('change',apply);fr.addEventListener('change',apply);fk.forEach(function(c){c.addEventListener('change',apply);});apply();}
})();"#;

/// The page.
pub fn page(d: &PageData<'_>) -> String {
    let mut o = String::new();
    let r = d.report;
    o.push_str("<!DOCTYPE html>\n<html lang=en><head><meta charset=utf-8>\n");
    let _ = writeln!(
        o,
        "<meta http-equiv=\"Content-Security-Policy\" content=\"{}\">",
        html(CSP)
    );
    o.push_str(
        "<meta name=viewport content=\"width=device-width\">\n<title>sentlab report</title>\n",
    );
    let _ = writeln!(o, "<style>{STYLE}</style></head><body>");
    o.push_str("<h1>sentlab report</h1>\n");
    let p = d.provenance;
    let _ = writeln!(
        o,
        "<p class=prov>sentlab {} · command: <code>{}</code><br>",
        html(&p.version),
        html(&p.command)
    );
    for (what, hash) in &p.hashes {
        let _ = write!(o, "{} SHA-256 <code>{}</code><br>", html(what), html(hash));
    }
    o.push_str("</p>\n");

    // Headline.
    o.push_str("<h2 id=headline>Headline scores</h2>\n<div class=cards>\n");
    let mut heads = vec![&r.micro, &r.macro_];
    if let Some(any) = &r.any {
        heads.push(any);
    }
    for row in heads {
        let m = row.metrics;
        let _ = writeln!(
            o,
            "<div class=card data-row=\"{0}\">{0} F1<b>{1}</b>P {2} · R {3}{4}</div>",
            html(&row.label),
            num(m.f1),
            num(m.precision),
            num(m.recall),
            interval(row)
        );
    }
    o.push_str("</div>\n");
    if let Some((n, seed)) = r.bootstrap {
        let _ = writeln!(
            o,
            "<p>Intervals: 95% percentile bootstrap, {n} resamples of articles, seed {seed}.</p>"
        );
    }

    if let Some(c) = d.compare {
        compare::section(&mut o, c);
    }

    // Per label.
    o.push_str("<h2 id=labels>Per label</h2>\n");
    for (i, u) in d.unseen.iter().enumerate() {
        o.push_str(&u.note(if i == 0 {
            "unseen-labels"
        } else {
            "unseen-labels-2"
        }));
    }
    o.push_str(&svg::label_bars(&r.labels));
    o.push_str("<table class=sort id=t-labels><thead><tr><th>label</th><th>tp</th><th>fp</th><th>fn</th><th>support</th><th>precision</th><th>recall</th><th>f1</th></tr></thead><tbody>\n");
    for row in &r.labels {
        let _ = writeln!(
            o,
            "<tr>{}{}{}{}{}{}{}{}</tr>",
            cell_t(&row.label),
            cell_i(row.tp),
            cell_i(row.fp),
            cell_i(row.fn_),
            cell_i(row.support),
            cell_f(row.metrics.precision),
            cell_f(row.metrics.recall),
            cell_f(row.metrics.f1)
        );
    }
    o.push_str("</tbody></table>\n");

    // Per rule.
    o.push_str("<h2 id=rules>Per rule</h2>\n<p>Precision against the number of sentences a rule fires on (one point per rule, coloured by label; hover for its id).</p>\n");
    let label_names: Vec<&str> = r.labels.iter().map(|l| l.label.as_str()).collect();
    o.push_str(&svg::rule_scatter(d.rules, &label_names));
    o.push_str("<table class=sort id=t-rules><thead><tr><th>rule_id</th><th>label</th><th>fired</th><th>tp</th><th>fp</th><th>precision</th><th>unique_tp</th><th>overlap</th><th>conflict</th></tr></thead><tbody>\n");
    for x in d.rules {
        let _ = writeln!(
            o,
            "<tr>{}{}{}{}{}{}{}{}{}</tr>",
            cell_t(&x.rule_id),
            cell_t(&x.label),
            cell_i(Some(x.fired)),
            cell_i(Some(x.tp)),
            cell_i(Some(x.fp)),
            cell_f(x.precision),
            cell_i(Some(x.unique_tp)),
            cell_i(Some(x.overlap)),
            cell_i(Some(x.conflict))
        );
    }
    o.push_str("</tbody></table>\n");

    // Confusion.
    o.push_str("<h2 id=confusion>Label confusion</h2>\n<p>Cell (X, Y): sentences with gold X and predicted Y (a sentence counts in every such cell). Column <i>none</i>: gold X, nothing predicted; row <i>none</i>: no gold, Y predicted.</p>\n");
    o.push_str(&svg::confusion_heatmap(d.confusion));

    if let Some(a) = d.agreement {
        agreement::section(&mut o, a);
    }

    // Per article.
    o.push_str("<h2 id=articles>Per article</h2>\n<p>Click a header to sort; articles in the error browser below link to it.</p>\n");
    o.push_str("<table class=sort id=t-articles><thead><tr><th>article_id</th><th>sentences</th><th>tp</th><th>fp</th><th>fn</th><th>support</th><th>precision</th><th>recall</th><th>f1</th></tr></thead><tbody>\n");
    let shown = worst_articles(d.articles, d.max_articles);
    for a in d.articles {
        let id = if shown.contains(a.article_id.as_str()) {
            format!(
                "<td data-v=\"{0}\"><a href=\"#a-{1}\">{0}</a></td>",
                html(&a.article_id),
                anchor(&a.article_id)
            )
        } else {
            cell_t(&a.article_id)
        };
        let _ = writeln!(
            o,
            "<tr>{id}{}{}{}{}{}{}{}{}</tr>",
            cell_i(Some(a.sentences)),
            cell_i(Some(a.tp)),
            cell_i(Some(a.fp)),
            cell_i(Some(a.fn_)),
            cell_i(Some(a.support)),
            cell_f(a.precision),
            cell_f(a.recall),
            cell_f(a.f1)
        );
    }
    o.push_str("</tbody></table>\n");

    error_browser(&mut o, d, &shown);

    let _ = writeln!(
        o,
        "<script type=\"application/json\" id=figures>{}</script>",
        script_json(d.json)
    );
    let _ = writeln!(o, "<script>{SCRIPT}</script>\n</body></html>");
    o
}

/// An id fragment for an article: its bytes in hex (any article id gives a valid,
/// distinct id).
fn anchor(id: &str) -> String {
    id.bytes().map(|b| format!("{b:02x}")).collect()
}

/// The articles with errors, worst first (most false positives plus false negatives, then
/// lowest F1, then id), at most `max`.
fn worst_articles(articles: &[ArticleRow], max: usize) -> BTreeSet<&str> {
    let mut v: Vec<&ArticleRow> = articles.iter().filter(|a| a.fp + a.fn_ > 0).collect();
    v.sort_by(|a, b| {
        (b.fp + b.fn_)
            .cmp(&(a.fp + a.fn_))
            .then_with(|| a.f1.unwrap_or(0.0).total_cmp(&b.f1.unwrap_or(0.0)))
            .then_with(|| a.article_id.cmp(&b.article_id))
    });
    v.into_iter()
        .take(max)
        .map(|a| a.article_id.as_str())
        .collect()
}

fn error_browser(o: &mut String, d: &PageData<'_>, shown: &BTreeSet<&str>) {
    o.push_str("<h2 id=errors>Error browser</h2>\n");
    let with_errors = d.articles.iter().filter(|a| a.fp + a.fn_ > 0).count();
    let _ = writeln!(
        o,
        "<p class=note>Showing {} of the {} articles with errors (the ones with the most false positives and false negatives){}. Every table above has all the numbers.</p>",
        shown.len(),
        with_errors,
        if shown.len() < with_errors {
            format!(
                "; {} left out (raise <code>--max-articles</code> to see more)",
                with_errors - shown.len()
            )
        } else {
            String::new()
        }
    );
    // Filters.
    let labels: BTreeSet<&str> = d
        .gold
        .iter()
        .map(|(_, l)| l.as_str())
        .chain(d.predictions.iter().map(|(_, p)| p.label.as_str()))
        .collect();
    let rules: BTreeSet<&str> = d
        .predictions
        .iter()
        .map(|(_, p)| p.rule_id.as_str())
        .collect();
    o.push_str("<p>Label <select id=f-label><option value=\"\">all</option>");
    for l in &labels {
        let _ = write!(o, "<option value=\"{0}\">{0}</option>", html(l));
    }
    o.push_str("</select> Rule <select id=f-rule><option value=\"\">all</option>");
    for r in &rules {
        let _ = write!(o, "<option value=\"{0}\">{0}</option>", html(r));
    }
    o.push_str("</select> <label><input type=checkbox data-kind=fp checked> false positives</label> <label><input type=checkbox data-kind=fn checked> false negatives</label> <label><input type=checkbox data-kind=tp checked> true positives</label></p>\n");
    o.push_str("<p><mark class=tp>predicted, right</mark> <mark class=fp>predicted, wrong (FP)</mark> <span class=\"b gold\">gold label</span> <span class=\"b fn\">gold label missed (FN)</span>");
    if !d.gold_parts.is_empty() {
        o.push_str(" <span class=\"g gtp gs ge\">gold span, label predicted</span> <span class=\"g gfn gs ge\">gold span, label missed (FN)</span>");
    }
    o.push_str("; a green bar marks sentences with gold labels.</p>\n");
    // Predictions by sentence, gold labels by sentence.
    let mut preds: BTreeMap<usize, Vec<&PredictionRow>> = BTreeMap::new();
    for (s, p) in d.predictions {
        preds.entry(*s).or_default().push(p);
    }
    let mut gold: BTreeMap<usize, Vec<&str>> = BTreeMap::new();
    for (s, l) in d.gold {
        gold.entry(*s).or_default().push(l);
    }
    let mut parts: BTreeMap<usize, Vec<&GoldPart>> = BTreeMap::new();
    for p in d.gold_parts {
        parts.entry(p.sentence).or_default().push(p);
    }
    let mut current: Option<&str> = None;
    for (i, s) in d.sentences.iter().enumerate() {
        if !shown.contains(s.article_id.as_str()) {
            continue;
        }
        if current != Some(s.article_id.as_str()) {
            if current.is_some() {
                o.push_str("</div>\n");
            }
            current = Some(&s.article_id);
            let _ = writeln!(
                o,
                "<div class=art id=\"a-{}\"><h3>{}</h3>",
                anchor(&s.article_id),
                html(&s.article_id)
            );
        }
        let g = gold.get(&i).map(Vec::as_slice).unwrap_or_default();
        let p = preds.get(&i).map(Vec::as_slice).unwrap_or_default();
        let _ = write!(
            o,
            "<div class=\"s{}\" title=\"{}\">",
            if g.is_empty() { "" } else { " gold" },
            html(&s.sentence_id)
        );
        let parts = parts.get(&i).map(Vec::as_slice).unwrap_or_default();
        o.push_str(&highlight(s, p, g, parts));
        for l in g {
            let found = p.iter().any(|x| x.label == *l);
            let (class, kind) = if found { ("gold", "tp") } else { ("fn", "fn") };
            let _ = write!(
                o,
                "<span class=\"b {class}\" data-e={kind} data-label=\"{0}\" data-rule=\"\">{0}</span>",
                html(l)
            );
        }
        o.push_str("</div>\n");
    }
    if current.is_some() {
        o.push_str("</div>\n");
    }
}

/// A sentence's text with the predicted spans and the parts of gold spans marked.
/// Overlapping spans are cut at every boundary. A piece covered by predictions is a
/// `<mark>` (coloured by the first covering prediction), inside one `<span class=g>` per
/// gold label covering it (nested, each underlined a little lower, so every one stays
/// visible; dashed when the sentence has no prediction of that label; `[` and `]` where the
/// label's part begins and ends). Every element of a piece has the same title: every rule
/// and label predicted there, and the gold labels.
fn highlight(
    s: &SentenceRow,
    preds: &[&PredictionRow],
    gold: &[&str],
    parts: &[&GoldPart],
) -> String {
    let chars: Vec<char> = s.text.chars().collect();
    let n = chars.len() as u64;
    let local = |x: u64| x.saturating_sub(s.start).min(n);
    let mut cuts: BTreeSet<u64> = [0, n].into();
    for p in preds {
        cuts.insert(local(p.start));
        cuts.insert(local(p.end));
    }
    for g in parts {
        cuts.insert(g.start.min(n));
        cuts.insert(g.end.min(n));
    }
    let cuts: Vec<u64> = cuts.into_iter().collect();
    // The gold labels covering each piece.
    let gold_at: Vec<BTreeSet<&str>> = cuts
        .windows(2)
        .map(|w| {
            parts
                .iter()
                .filter(|g| g.start <= w[0] && g.end.min(n) >= w[1] && g.start < g.end)
                .map(|g| g.label.as_str())
                .collect()
        })
        .collect();
    let mut out = String::new();
    for (k, w) in cuts.windows(2).enumerate() {
        let (a, b) = (w[0], w[1]);
        let piece: String = chars[a as usize..b as usize].iter().collect();
        let covering: Vec<&&PredictionRow> = preds
            .iter()
            .filter(|p| local(p.start) <= a && local(p.end) >= b && local(p.start) < local(p.end))
            .collect();
        let labels = &gold_at[k];
        let mut title: Vec<String> = covering
            .iter()
            .map(|p| format!("{} → {}", p.rule_id, p.label))
            .collect();
        let title = if labels.is_empty() {
            title.join("; ")
        } else {
            let gold_title = format!(
                "gold: {}",
                labels.iter().copied().collect::<Vec<_>>().join(", ")
            );
            if title.is_empty() {
                gold_title
            } else {
                title = vec![title.join("; ")];
                title.push(gold_title);
                title.join(" · ")
            }
        };
        let title = html(&title);
        for l in labels {
            let kind = if preds.iter().any(|p| p.label == *l) {
                "tp"
            } else {
                "fn"
            };
            let starts = k == 0 || !gold_at[k - 1].contains(l);
            let ends = gold_at.get(k + 1).is_none_or(|next| !next.contains(l));
            let _ = write!(
                out,
                "<span class=\"g g{kind}{}{}\" data-g={kind} data-label=\"{}\" data-rule=\"\" title=\"{title}\">",
                if starts { " gs" } else { "" },
                if ends { " ge" } else { "" },
                html(l)
            );
        }
        match covering.first() {
            None => out.push_str(&html(&piece)),
            Some(first) => {
                let kind = if gold.contains(&first.label.as_str()) {
                    "tp"
                } else {
                    "fp"
                };
                let _ = write!(
                    out,
                    "<mark class={kind} data-e={kind} data-label=\"{}\" data-rule=\"{}\" title=\"{title}\">{}</mark>",
                    html(&first.label),
                    html(&first.rule_id),
                    html(&piece)
                );
            }
        }
        for _ in labels {
            out.push_str("</span>");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_escapes_every_special_character() {
        // By hand: each of & < > " ' becomes its entity; other text is unchanged.
        assert_eq!(html(r#"a&b<c>d"e'f é"#), "a&amp;b&lt;c&gt;d&quot;e&#39;f é");
        assert_eq!(
            html("</script><script>alert(1)</script>"),
            "&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;"
        );
    }

    #[test]
    fn script_json_escapes_what_could_end_the_script_and_stays_the_same_json() {
        let value = serde_json::json!({"t": "</script><!--&\u{2028}\u{2029}>"});
        let text = script_json(&value.to_string());
        // By hand: < > & U+2028 U+2029 as \u escapes.
        assert_eq!(
            text,
            r#"{"t":"\u003c/script\u003e\u003c!--\u0026\u2028\u2029\u003e"}"#
        );
        let back: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back, value);
    }

    #[test]
    fn anchors_are_hex_and_distinct() {
        assert_eq!(anchor("a b"), "612062");
        assert_ne!(anchor("ab"), anchor("a b"));
    }
}

/// SHA-256 of `bytes` as lowercase hex (FIPS 180-4), for the content hashes on the page.
pub fn sha256_hex(bytes: &[u8]) -> String {
    const K: [u32; 64] = [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4,
        0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe,
        0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f,
        0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7,
        0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc,
        0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
        0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116,
        0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
        0xc67178f2,
    ];
    let mut h: [u32; 8] = [
        0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab,
        0x5be0cd19,
    ];
    let mut msg = bytes.to_vec();
    let bits = (bytes.len() as u64).wrapping_mul(8);
    msg.push(0x80);
    while msg.len() % 64 != 56 {
        msg.push(0);
    }
    msg.extend_from_slice(&bits.to_be_bytes());
    for block in msg.chunks(64) {
        let mut w = [0u32; 64];
        for (i, c) in block.chunks(4).enumerate() {
            w[i] = u32::from_be_bytes([c[0], c[1], c[2], c[3]]);
        }
        for i in 16..64 {
            let s0 = w[i - 15].rotate_right(7) ^ w[i - 15].rotate_right(18) ^ (w[i - 15] >> 3);
            let s1 = w[i - 2].rotate_right(17) ^ w[i - 2].rotate_right(19) ^ (w[i - 2] >> 10);
            w[i] = w[i - 16]
                .wrapping_add(s0)
                .wrapping_add(w[i - 7])
                .wrapping_add(s1);
        }
        let mut v = h;
        for i in 0..64 {
            let s1 = v[4].rotate_right(6) ^ v[4].rotate_right(11) ^ v[4].rotate_right(25);
            let ch = (v[4] & v[5]) ^ (!v[4] & v[6]);
            let t1 = v[7]
                .wrapping_add(s1)
                .wrapping_add(ch)
                .wrapping_add(K[i])
                .wrapping_add(w[i]);
            let s0 = v[0].rotate_right(2) ^ v[0].rotate_right(13) ^ v[0].rotate_right(22);
            let maj = (v[0] & v[1]) ^ (v[0] & v[2]) ^ (v[1] & v[2]);
            let t2 = s0.wrapping_add(maj);
            v = [
                t1.wrapping_add(t2),
                v[0],
                v[1],
                v[2],
                v[3].wrapping_add(t1),
                v[4],
                v[5],
                v[6],
            ];
        }
        for (a, b) in h.iter_mut().zip(v) {
            *a = a.wrapping_add(b);
        }
    }
    h.iter().map(|x| format!("{x:08x}")).collect()
}

#[cfg(test)]
mod sha_tests {
    #[test]
    fn sha256_matches_the_fips_test_vectors() {
        // FIPS 180-4 examples: "abc", the empty message, and the two-block message (the
        // values as coreutils `sha256sum` prints them).
        assert_eq!(
            super::sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(
            super::sha256_hex(b""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        assert_eq!(
            super::sha256_hex(b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
        );
    }
}
