//! The skeleton every HTML page of mtharness shares (the evaluation report, `compare`,
//! `rules test`): a self-contained document (inline CSS, a few lines of inline JS; no network, no
//! external fonts or scripts; a Content-Security-Policy forbids every fetch), and the escaping
//! that every piece of corpus text goes through.

use std::fmt::Write as _;

/// Appends `s` to `out` with `& < > " '` escaped, safe in element content and in quoted
/// attribute values.
pub fn escape_into(out: &mut String, s: &str) {
    let mut last = 0;
    for (i, b) in s.bytes().enumerate() {
        let rep = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        out.push_str(&s[last..i]);
        out.push_str(rep);
        last = i + 1;
    }
    out.push_str(&s[last..]);
}

/// `s` HTML-escaped (see `escape_into`).
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    escape_into(&mut out, s);
    out
}

const CSS: &str = r#"
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0 auto;max-width:1400px;padding:0 16px;color:#1d2330;background:#fbfbfd}
h1{font-size:22px;margin:18px 0 4px}h2{font-size:18px;margin:28px 0 8px;border-bottom:1px solid #d8dbe3;padding-bottom:4px}
h3{font-size:15px;margin:14px 0 6px}
table{border-collapse:collapse;margin:6px 0}th,td{padding:3px 8px;border-bottom:1px solid #e4e6ec;text-align:left;vertical-align:top}
th{background:#eef0f5;font-weight:600}td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
.sig{font:12px ui-monospace,monospace;color:#4a5163}
nav a{margin-right:10px}.muted{color:#6b7285;font-size:12px}
.hists{display:flex;flex-wrap:wrap;gap:10px}.hist{background:#fff;border:1px solid #e4e6ec;padding:4px}
.hist rect{fill:#5b7bd5}.hist text{font:10px sans-serif;fill:#4a5163}
details.doc{border:1px solid #d8dbe3;border-radius:4px;margin:8px 0;background:#fff;content-visibility:auto}
details.doc>summary{padding:6px 10px;cursor:pointer;font-weight:600;background:#f3f4f8}
details.sys{margin:6px 10px}details.sys>summary{cursor:pointer}
table.al{width:100%;table-layout:fixed}table.al td:nth-child(2),table.al td:nth-child(3){width:44%;overflow-wrap:break-word}
table.al td:first-child,table.al td:last-child{width:6%;color:#6b7285;font-size:12px}
tr.b-add td:nth-child(3){background:#fff0d9}tr.b-add td:first-child::after{content:" addition";color:#b25b00;font-weight:600}
tr.b-omit td:nth-child(2){background:#ffe4e4}tr.b-omit td:first-child::after{content:" omission";color:#b00020;font-weight:600}
tr.b-merge td:first-child::after{content:" merge";color:#5b3cc4;font-weight:600}
tr.b-split td:first-child::after{content:" split";color:#5b3cc4;font-weight:600}
tr:target{outline:2px solid #f0b400}
.sub{background:#fde7a6;font-style:normal}i{font-style:normal}.del{background:#f9c4c4;text-decoration:line-through}.ins{background:#c9ecc9;text-decoration:underline}
.shf{border-bottom:2px dotted #3767d6}
.t{border-radius:3px;padding:0 1px;outline:2px solid;outline-offset:0}
.t-correct{outline-color:#9ad19a}.t-forbidden{outline-color:#d0021b;background:#ffd9de}.t-misspelt{outline-color:#e07800;background:#ffe8cc}
.t-missing{outline-color:#7b2cbf;background:#efe0ff}.t-extra{outline-color:#888}.t-inconsistent{outline-style:dashed}
.legend span{margin-right:12px;padding:0 3px}
"#;

/// Inline script: fills a closed document view from its `<script type="text/html">` when it is
/// opened (or linked to), and opens the `<details>` around the target of a link (`#s0-3-12`).
const JS: &str = r#"
function fill(d){var t=d&&document.getElementById('v'+d.id);if(t){d.insertAdjacentHTML('beforeend',t.textContent);t.remove()}}
document.addEventListener('toggle',function(e){if(e.target.open)fill(e.target)},true);
function openTarget(){var id=location.hash.slice(1);if(!id)return;var e=document.getElementById(id);
if(!e){var m=/^s\d+-(\d+)-/.exec(id)||/^d(\d+)/.exec(id);if(m){fill(document.getElementById('d'+m[1]));e=document.getElementById(id)}}
for(var p=e;p;p=p.parentElement){if(p.tagName==='DETAILS')p.open=true}if(e)e.scrollIntoView()}
window.addEventListener('hashchange',openTarget);window.addEventListener('load',openTarget);
"#;

/// The inline script that fills closed document views and follows `#s…` links.
pub(crate) fn page_script(out: &mut String) {
    out.push_str("<script>");
    out.push_str(JS);
    out.push_str("</script>\n");
}

/// Opens a self-contained page (shared by every HTML report): doctype, a Content-Security-Policy
/// that forbids every fetch, the CSS, and a `<h1>` "mtharness `kind`: `name`" (`name` is
/// escaped; `kind` is ours). Close it with [`page_end`].
pub(crate) fn page_start(out: &mut String, kind: &str, name: &str) {
    out.push_str("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n");
    out.push_str(
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; \
         style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">\n",
    );
    out.push_str("<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\n<title>mtharness: ");
    escape_into(out, name);
    out.push_str("</title>\n<style>");
    out.push_str(CSS);
    let _ = write!(out, "</style>\n</head><body>\n<h1>mtharness {kind}: ");
    escape_into(out, name);
    out.push_str("</h1>\n");
}

/// Closes a page opened with [`page_start`].
pub(crate) fn page_end(out: &mut String) {
    out.push_str("</body></html>\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_handles_markup_ampersands_and_quotes() {
        assert_eq!(
            escape("<script>alert('x')</script> & \"q\""),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;"
        );
        assert_eq!(escape("Größe — ok"), "Größe — ok");
        assert_eq!(escape(""), "");
    }
}
