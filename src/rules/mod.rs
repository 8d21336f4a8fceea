//! Cleanup rules: find-and-replace rules for MT output, their application, per-rule hit counts,
//! and their regression tests ([`test_rules`]).
//!
//! # Rule file format (TOML)
//!
//! ```toml
//! [[rule]]
//! id = "ceasefire-immediate"          # required, unique, non-empty
//! description = "alto el fuego calque" # optional
//! pattern = "high immediate fire"     # required, non-empty
//! replace = "immediate ceasefire"     # default "" (the match is removed)
//! regex = false                       # default false: the pattern is a literal string
//! word_boundary = true                # default false
//! case_insensitive = true             # default false
//! preserve_case = true                # default false
//! scope = "segment"                   # "segment" (default) or "delete-segment"
//!
//! [[rule.example]]                    # any number; each runs as a test of this rule alone
//! input = "a high immediate fire"
//! expect = "a immediate ceasefire"
//! ```
//!
//! - `regex = true`: `pattern` is a [`regex`](https://docs.rs/regex) pattern and `replace` may
//!   name capture groups as `$1`, `${1}`, `$name` or `${name}` (`$$` is a literal `$`); a group
//!   the pattern does not have is an error. Literal rules insert `replace` as is.
//! - `word_boundary`: a match may not start or end inside a word: when the first (last)
//!   character of the match is a word character (alphanumeric or `_`), the character before
//!   (after) it must not be one. For patterns whose ends are word characters this is regex `\b`.
//! - `case_insensitive`: literal rules fold ASCII letters only (the aho-corasick automaton's
//!   folding); regex rules fold Unicode (`(?i)`). Use `regex = true` for non-ASCII folding.
//! - `preserve_case`: the replacement takes the case shape of the matched text: ALL CAPS (at
//!   least two cased letters, all upper) -> replacement upper-cased; Capitalised (first cased
//!   letter upper) -> first letter of the replacement upper-cased, the rest as written; all
//!   lower -> replacement lower-cased; any other shape -> replacement as written.
//! - `scope = "delete-segment"`: a segment in which the pattern matches is dropped; `replace`
//!   must not be given. In a corpus folder the line disappears (the document keeps its other
//!   lines; the aligner pairs what is left). In line-aligned input (`-r`/`-i` files, XML, TSV)
//!   deleting would shift every later line, so the segment becomes the empty string instead.
//! - `[[rule.example]]`: `input` is one segment, `expect` what the rule alone makes of it
//!   (the empty string when a delete-segment rule drops it). `rules test` fails on a failing
//!   example.
//!
//! Unknown fields, a duplicate or empty `id`, an empty `pattern`, an invalid regex or an
//! unknown capture group in `replace` are errors naming the file, line and rule id.
//!
//! # Application order (deterministic)
//!
//! Per MT segment: (1) delete-segment rules, in file order, on the original text: the first
//! that matches drops the segment (one hit, for that rule only); (2) all literal segment rules
//! in one aho-corasick pass, leftmost-longest (at a position the longest pattern wins; equal
//! patterns: the earlier rule); matches rejected by a rule's case or word-boundary option do not
//! hide other rules' matches; (3) regex segment rules in file order, each over the output of the
//! previous step. Every rule is applied once per segment, so a replacement holding its own
//! pattern cannot loop; a segment that grows beyond [`max_growth`] of its original size is an
//! error naming the rule. References and sources are never changed.
//!
//! # Example
//!
//! ```
//! use std::path::Path;
//! use mtharness::corpus::{load, LoadSpec};
//! use mtharness::rules::{parse_rules, test_rules, TestOptions};
//!
//! let rules = parse_rules(r#"
//! [[rule]]
//! id = "high-fire"
//! pattern = "high fire"
//! replace = "ceasefire"
//! "#, Path::new("rules.toml"))?;
//! // Scores the corpus before and after the rules, rule by rule.
//! let corpus = load(&LoadSpec { input: Some("corpora/sample".into()), ..LoadSpec::default() })?;
//! let report = test_rules(&rules, &corpus, &TestOptions::default())?;
//! assert_eq!(report.rules.len(), 1);
//! assert!(report.failures.is_empty());
//! # Ok::<(), mtharness::Error>(())
//! ```

mod files;
pub(crate) mod test;

pub use files::{apply_paths, file_component, write_hits_csv};
pub use test::{
    format_test_report, read_rules_csv, test_rules, write_test_csvs, DocumentDelta, RuleRow,
    SegmentDelta, SystemDelta, TestOptions, TestReport,
};

use std::borrow::Cow;
use std::collections::HashSet;
use std::path::{Path, PathBuf};

use aho_corasick::{AhoCorasick, MatchKind};
use regex::{Regex, RegexBuilder};
use serde::Deserialize;

use crate::corpus::{read_text, Corpus, Document};
use crate::error::{Error, Location, Result};

/// Largest allowed size of a segment after the rules, in bytes, for an original of `input`
/// bytes: `4 * input + 1024`. Our own bound (no reference implementation has rules); it catches
/// runaway replacements while leaving room for expansions such as abbreviations.
pub fn max_growth(input: usize) -> usize {
    GROWTH_FACTOR * input + GROWTH_SLACK
}

/// See [`max_growth`].
const GROWTH_FACTOR: usize = 4;
/// See [`max_growth`]: 1 KiB.
const GROWTH_SLACK: usize = 1024;

/// What a rule does with a match.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
pub enum Scope {
    /// Replace the match inside the segment.
    #[default]
    #[serde(rename = "segment")]
    Segment,
    /// Drop the whole segment.
    #[serde(rename = "delete-segment")]
    DeleteSegment,
}

/// What to do with a deleted segment (see the module docs).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeleteMode {
    /// Remove the segment (corpus folders: the line disappears).
    Remove,
    /// Replace it by the empty string (line-aligned input keeps its line count).
    Blank,
}

/// One example of a rule: `input` must become `expect` under the rule alone.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Example {
    pub input: String,
    pub expect: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    rule: Vec<toml::Spanned<RawRule>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    id: String,
    #[serde(default)]
    description: String,
    pattern: String,
    #[serde(default)]
    replace: Option<String>,
    #[serde(default)]
    regex: bool,
    #[serde(default)]
    word_boundary: bool,
    #[serde(default)]
    case_insensitive: bool,
    #[serde(default)]
    preserve_case: bool,
    #[serde(default)]
    scope: Scope,
    #[serde(default)]
    example: Vec<Example>,
}

/// One compiled rule.
#[derive(Debug, Clone)]
pub struct Rule {
    pub id: String,
    pub description: String,
    /// 1-based line of the rule's table in its file (0 for rules built in code).
    pub line: usize,
    pub pattern: String,
    pub replace: String,
    pub regex: bool,
    pub word_boundary: bool,
    pub case_insensitive: bool,
    pub preserve_case: bool,
    pub scope: Scope,
    pub examples: Vec<Example>,
    /// The compiled pattern of a regex rule (with `(?i)` when case-insensitive).
    compiled: Option<Regex>,
}

/// A literal pattern set searched in one pass.
#[derive(Debug, Clone)]
struct LiteralPass {
    /// Rule index of each pattern of the automaton.
    rules: Vec<usize>,
    ac: Option<AhoCorasick>,
}

/// A validated, compiled rule file.
#[derive(Debug, Clone)]
pub struct RuleSet {
    /// Where the rules came from (for messages).
    pub path: PathBuf,
    pub rules: Vec<Rule>,
    delete_literal: LiteralPass,
    replace_literal: LiteralPass,
}

/// How many times rule `rule` (an index into [`RuleSet::rules`]) fired in one segment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Firing {
    pub rule: usize,
    pub count: usize,
}

/// The result of applying the rules to one segment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome<'a> {
    Kept(Cow<'a, str>),
    Deleted,
}

/// One row of `hits.csv`: rule `rule` fired `count` times in one segment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    pub rule: String,
    pub system: String,
    pub document: String,
    /// 1-based segment number: the line in the MT file for `rules apply`. For rules applied to a
    /// loaded corpus: the segment's line (`Document::lines`) when the document's MT has as many
    /// segments as its reference, else the MT segment's index in its document (before deletion).
    pub segment: usize,
    pub count: usize,
}

/// How deletions are done for an input format: removed from corpus folders (articles), blanked
/// in every line-aligned format (line files, WMT XML, TSV, JSONL).
pub fn delete_mode_for(format: crate::corpus::Format) -> DeleteMode {
    match format {
        crate::corpus::Format::Folder => DeleteMode::Remove,
        _ => DeleteMode::Blank,
    }
}

/// Parses `--min-gain` values `METRIC=X`.
pub fn parse_min_gains(values: &[String]) -> Result<Vec<(String, f64)>> {
    values
        .iter()
        .map(|v| {
            let shown: String = v.chars().take(80).collect();
            let (m, x) = v
                .split_once('=')
                .ok_or_else(|| Error::config(format!("--min-gain {shown:?}: expected METRIC=X")))?;
            let x: f64 = x
                .trim()
                .parse()
                .ok()
                .filter(|x: &f64| x.is_finite())
                .ok_or_else(|| {
                    Error::config(format!("--min-gain {shown:?}: not a finite number"))
                })?;
            Ok((m.trim().to_string(), x))
        })
        .collect()
}

/// Reads and compiles a rule file (format in the module docs).
pub fn load_rules(path: &Path) -> Result<RuleSet> {
    let text = read_text(path)?;
    parse_rules(&text, path)
}

/// The byte offsets at which the lines of a text start: the line of any offset in
/// O(log lines), after one O(len) pass (a rule file's rules each need their line).
struct LineStarts(Vec<usize>);

impl LineStarts {
    fn new(text: &str) -> LineStarts {
        let newlines = text.bytes().enumerate().filter(|&(_, b)| b == b'\n');
        LineStarts(
            std::iter::once(0)
                .chain(newlines.map(|(i, _)| i + 1))
                .collect(),
        )
    }

    /// 1-based line of byte offset `offset` (1 + the newlines before it), in O(log lines).
    fn line(&self, offset: usize) -> usize {
        self.0.partition_point(|&start| start <= offset)
    }
}

/// Id of the `[[rule]]` table around byte `offset`, found leniently (the file may not parse
/// as rules): the last `[[rule]]` header before it, and that table's `id`.
fn rule_id_near(text: &str, offset: usize) -> Option<String> {
    let table: toml::Table = text.parse().ok()?;
    let mut index = None;
    let mut pos = 0;
    for line in text.split_inclusive('\n') {
        if pos > offset {
            break;
        }
        if line.trim_start().starts_with("[[rule]]") {
            index = Some(index.map_or(0, |i: usize| i + 1));
        }
        pos += line.len();
    }
    let rules = table.get("rule")?.as_array()?;
    rules.get(index?)?.get("id")?.as_str().map(str::to_string)
}

/// Parses and compiles rules from TOML text; `path` is only used in messages.
pub fn parse_rules(text: &str, path: &Path) -> Result<RuleSet> {
    let raw: RawFile = toml::from_str(text).map_err(|e| {
        let offset = e.span().map_or(0, |s| s.start);
        let msg = e.message().trim().to_string();
        let msg = match rule_id_near(text, offset) {
            Some(id) => format!("rule {id:?}: {msg}"),
            None => msg,
        };
        Error::input(
            Location::line(path, LineStarts::new(text).line(offset)),
            msg,
        )
    })?;
    let mut rules = Vec::with_capacity(raw.rule.len());
    let mut seen: HashSet<String> = HashSet::new();
    let lines = LineStarts::new(text);
    for spanned in raw.rule {
        let line = lines.line(spanned.span().start);
        let r = spanned.into_inner();
        let err = |msg: String| Error::input(Location::line(path, line), msg);
        if r.id.trim().is_empty() {
            return Err(err("rule with an empty id".into()));
        }
        if !seen.insert(r.id.clone()) {
            return Err(err(format!("rule {:?}: duplicate id", r.id)));
        }
        rules.push(
            Rule::new(
                &r.id,
                r.pattern,
                r.replace,
                RuleOptions {
                    regex: r.regex,
                    word_boundary: r.word_boundary,
                    case_insensitive: r.case_insensitive,
                    preserve_case: r.preserve_case,
                    scope: r.scope,
                },
            )
            .map_err(|m| err(format!("rule {:?}: {m}", r.id)))?
            .with_details(r.description, line, r.example),
        );
    }
    RuleSet::new(path.to_path_buf(), rules)
}

/// The options of a rule (see the module docs).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RuleOptions {
    pub regex: bool,
    pub word_boundary: bool,
    pub case_insensitive: bool,
    pub preserve_case: bool,
    pub scope: Scope,
}

/// Most bytes a rule's compiled regex may take: the regex crate's own default `size_limit`
/// (10 MiB), named here so that the error can say it. A pattern like `\\w{50000}` goes over it
/// and is refused when the rules load, instead of eating memory or time per segment.
pub const REGEX_SIZE_LIMIT: usize = 10 * (1 << 20);

impl Rule {
    /// Validates and compiles one rule. Errors are messages without location (the caller adds
    /// file, line and id).
    pub fn new(
        id: &str,
        pattern: String,
        replace: Option<String>,
        o: RuleOptions,
    ) -> std::result::Result<Rule, String> {
        if pattern.is_empty() {
            return Err("empty pattern".into());
        }
        if o.scope == Scope::DeleteSegment && replace.is_some() {
            return Err("a delete-segment rule takes no `replace`".into());
        }
        let replace = replace.unwrap_or_default();
        let compiled = if o.regex {
            let re = RegexBuilder::new(&pattern)
                .case_insensitive(o.case_insensitive)
                .size_limit(REGEX_SIZE_LIMIT)
                .build()
                .map_err(|e| match e {
                    regex::Error::CompiledTooBig(limit) => format!(
                        "regex too big: it compiles to more than {limit} bytes; simplify the \
                         pattern (large counted repetitions such as `\\w{{50000}}` are the usual \
                         cause) or split the rule"
                    ),
                    e => format!("invalid regex: {e}"),
                })?;
            check_groups(&re, &replace)?;
            Some(re)
        } else {
            None
        };
        Ok(Rule {
            id: id.to_string(),
            description: String::new(),
            line: 0,
            pattern,
            replace,
            regex: o.regex,
            word_boundary: o.word_boundary,
            case_insensitive: o.case_insensitive,
            preserve_case: o.preserve_case,
            scope: o.scope,
            examples: Vec::new(),
            compiled,
        })
    }

    fn with_details(mut self, description: String, line: usize, examples: Vec<Example>) -> Rule {
        self.description = description;
        self.line = line;
        self.examples = examples;
        self
    }

    /// Where the rule is defined, for messages: `rules.toml:12 rule "x"`.
    pub fn locate(&self, path: &Path) -> String {
        format!("{}:{} rule {:?}", path.display(), self.line, self.id)
    }
}

/// Checks that every group `replace` names exists in `re` (the `regex` crate's expansion
/// syntax: `$$`, `${name}`, `$name` with name the longest run of `[_0-9A-Za-z]`).
fn check_groups(re: &Regex, replace: &str) -> std::result::Result<(), String> {
    let bytes = replace.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b'$' {
            i += 1;
            continue;
        }
        if bytes.get(i + 1) == Some(&b'$') {
            i += 2;
            continue;
        }
        let (name, next) = if bytes.get(i + 1) == Some(&b'{') {
            match replace[i + 2..].find('}') {
                Some(end) => (&replace[i + 2..i + 2 + end], i + 3 + end),
                None => return Err(format!("unclosed `${{` in replace {replace:?}")),
            }
        } else {
            let len = bytes[i + 1..]
                .iter()
                .take_while(|b| b.is_ascii_alphanumeric() || **b == b'_')
                .count();
            (&replace[i + 1..i + 1 + len], i + 1 + len)
        };
        if name.is_empty() {
            return Err(format!(
                "a lone `$` in replace {replace:?}; write `$$` for a literal `$`"
            ));
        }
        let exists = match name.parse::<usize>() {
            Ok(n) => n < re.captures_len(),
            Err(_) => re.capture_names().flatten().any(|n| n == name),
        };
        if !exists {
            return Err(format!(
                "replace {replace:?} names group ${name}, which the pattern does not have"
            ));
        }
        i = next;
    }
    Ok(())
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// True when `text[start..end]` neither starts nor ends inside a word (module docs).
fn boundary_ok(text: &str, start: usize, end: usize) -> bool {
    let m = &text[start..end];
    let starts_word = m.chars().next().is_some_and(is_word_char);
    let ends_word = m.chars().next_back().is_some_and(is_word_char);
    let before = text[..start].chars().next_back().is_some_and(is_word_char);
    let after = text[end..].chars().next().is_some_and(is_word_char);
    !((starts_word && before) || (ends_word && after))
}

/// The replacement in the case shape of `matched` (module docs, `preserve_case`).
pub fn shape_case(matched: &str, replacement: &str) -> String {
    let cased: Vec<char> = matched
        .chars()
        .filter(|c| c.is_uppercase() || c.is_lowercase())
        .collect();
    let Some(first) = cased.first() else {
        return replacement.to_string();
    };
    if cased.len() >= 2 && cased.iter().all(|c| c.is_uppercase()) {
        replacement.to_uppercase()
    } else if first.is_uppercase() {
        let mut out = String::with_capacity(replacement.len());
        let mut done = false;
        for c in replacement.chars() {
            if !done && (c.is_lowercase() || c.is_uppercase()) {
                out.extend(c.to_uppercase());
                done = true;
            } else {
                out.push(c);
            }
        }
        out
    } else if cased.iter().all(|c| c.is_lowercase()) {
        replacement.to_lowercase()
    } else {
        replacement.to_string()
    }
}

impl LiteralPass {
    fn new(rules: &[Rule], pick: impl Fn(&Rule) -> bool) -> Result<LiteralPass> {
        let idx: Vec<usize> = (0..rules.len()).filter(|&i| pick(&rules[i])).collect();
        if idx.is_empty() {
            return Ok(LiteralPass {
                rules: idx,
                ac: None,
            });
        }
        let fold = idx.iter().any(|&i| rules[i].case_insensitive);
        let ac = AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .ascii_case_insensitive(fold)
            .build(idx.iter().map(|&i| rules[i].pattern.as_str()))
            .map_err(|e| Error::config(format!("cannot build the literal rule matcher: {e}")))?;
        Ok(LiteralPass {
            rules: idx,
            ac: Some(ac),
        })
    }

    /// Accepted matches `(start, end, rule)`, leftmost-longest, non-overlapping, in order.
    /// O(n + candidate matches * log).
    fn matches(&self, rules: &[Rule], text: &str) -> Vec<(usize, usize, usize)> {
        let Some(ac) = &self.ac else {
            return Vec::new();
        };
        let mut cands: Vec<(usize, usize, usize)> = ac
            .find_overlapping_iter(text)
            .filter_map(|m| {
                let r = self.rules[m.pattern().as_usize()];
                let rule = &rules[r];
                let ok_case =
                    rule.case_insensitive || text[m.start()..m.end()] == *rule.pattern.as_str();
                let ok_bound = !rule.word_boundary || boundary_ok(text, m.start(), m.end());
                (ok_case && ok_bound).then_some((m.start(), m.end(), r))
            })
            .collect();
        cands.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)).then(a.2.cmp(&b.2)));
        let mut out = Vec::new();
        let mut pos = 0;
        for c in cands {
            if c.0 >= pos {
                pos = c.1;
                out.push(c);
            }
        }
        out
    }
}

/// Matches of regex rule `rule` in `text` as `(start, end, replacement)`: leftmost-first,
/// non-overlapping, empty matches skipped; a match failing the word-boundary check is retried
/// one character further.
/// Matches of a regex rule in `text` with their replacements, or `Err(size)` as soon as the
/// text with the replacements so far would be longer than `limit` bytes (`size` of them), so
/// that a growing rule stops before its replacements take the memory.
fn regex_matches(
    rule: &Rule,
    re: &Regex,
    text: &str,
    limit: usize,
) -> std::result::Result<Vec<(usize, usize, String)>, usize> {
    let mut out = Vec::new();
    let mut size = text.len();
    let mut pos = 0;
    while pos <= text.len() {
        let Some(caps) = re.captures_at(text, pos) else {
            break;
        };
        let Some(m) = caps.get(0) else { break };
        if m.is_empty() || (rule.word_boundary && !boundary_ok(text, m.start(), m.end())) {
            pos = m.start() + text[m.start()..].chars().next().map_or(1, char::len_utf8);
            continue;
        }
        let mut rep = String::new();
        caps.expand(&rule.replace, &mut rep);
        if rule.preserve_case {
            rep = shape_case(m.as_str(), &rep);
        }
        size = size + rep.len() - m.len();
        if size > limit {
            return Err(size);
        }
        out.push((m.start(), m.end(), rep));
        pos = m.end();
    }
    Ok(out)
}

/// An error of one segment: the rule made it grow too much.
fn growth_error(rule: &Rule, path: &Path, before: usize, after: usize) -> Error {
    Error::config(format!(
        "{}: the segment grew from {before} to {after} bytes (limit {}); \
         does the replacement contain its own pattern?",
        rule.locate(path),
        max_growth(before)
    ))
}

impl RuleSet {
    /// Builds a rule set from compiled rules (ids must be unique).
    pub fn new(path: PathBuf, rules: Vec<Rule>) -> Result<RuleSet> {
        let mut seen = HashSet::new();
        for r in &rules {
            if !seen.insert(r.id.as_str()) {
                return Err(Error::config(format!("rule {:?}: duplicate id", r.id)));
            }
        }
        let lit = |scope: Scope| move |r: &Rule| !r.regex && r.scope == scope;
        Ok(RuleSet {
            delete_literal: LiteralPass::new(&rules, lit(Scope::DeleteSegment))?,
            replace_literal: LiteralPass::new(&rules, lit(Scope::Segment))?,
            path,
            rules,
        })
    }

    /// The set holding only the rules `keep` (indices into [`RuleSet::rules`]).
    pub fn subset(&self, keep: &[usize]) -> Result<RuleSet> {
        let rules = keep
            .iter()
            .filter_map(|&i| self.rules.get(i).cloned())
            .collect();
        RuleSet::new(self.path.clone(), rules)
    }

    /// Applies the rules to one segment (order in the module docs) and appends to `fired` which
    /// rules fired how often (indices into [`RuleSet::rules`]). Errors when the segment grows
    /// beyond [`max_growth`]. O(len * regex rules + literal matches).
    pub fn apply<'a>(&self, text: &'a str, fired: &mut Vec<Firing>) -> Result<Outcome<'a>> {
        // 1. delete-segment rules, in file order.
        for (i, rule) in self.rules.iter().enumerate() {
            if rule.scope != Scope::DeleteSegment {
                continue;
            }
            let hit = match &rule.compiled {
                Some(re) => {
                    regex_matches(rule, re, text, usize::MAX).map_or(true, |m| !m.is_empty())
                }
                None => self.delete_literal.single_matches(&self.rules, i, text),
            };
            if hit {
                fired.push(Firing { rule: i, count: 1 });
                return Ok(Outcome::Deleted);
            }
        }
        // 2. literal segment rules, one pass.
        let mut cur: Cow<'a, str> = Cow::Borrowed(text);
        let lits = self.replace_literal.matches(&self.rules, text);
        if !lits.is_empty() {
            let mut out = String::with_capacity(text.len());
            let mut last = 0;
            let mut counts: Vec<Firing> = Vec::new();
            let limit = max_growth(text.len());
            for &(s, e, r) in &lits {
                let rule = &self.rules[r];
                out.push_str(&text[last..s]);
                if rule.preserve_case {
                    out.push_str(&shape_case(&text[s..e], &rule.replace));
                } else {
                    out.push_str(&rule.replace);
                }
                last = e;
                match counts.iter_mut().find(|f| f.rule == r) {
                    Some(f) => f.count += 1,
                    None => counts.push(Firing { rule: r, count: 1 }),
                }
                if out.len() + (text.len() - e) > limit {
                    break; // already too long: reported below, before more replacements
                }
            }
            out.push_str(&text[last..]);
            if out.len() > limit {
                // Blame the rule that added the most bytes.
                let grow = |f: &Firing| {
                    let r = &self.rules[f.rule];
                    f.count as i64 * (r.replace.len() as i64 - r.pattern.len() as i64)
                };
                let worst = counts.iter().max_by_key(|f| grow(f)).map_or(0, |f| f.rule);
                return Err(growth_error(
                    &self.rules[worst],
                    &self.path,
                    text.len(),
                    out.len(),
                ));
            }
            counts.sort_by_key(|f| f.rule);
            fired.extend(counts);
            cur = Cow::Owned(out);
        }
        // 3. regex segment rules, in file order.
        for (i, rule) in self.rules.iter().enumerate() {
            let (Scope::Segment, Some(re)) = (rule.scope, &rule.compiled) else {
                continue;
            };
            let ms = regex_matches(rule, re, &cur, max_growth(text.len()))
                .map_err(|size| growth_error(rule, &self.path, text.len(), size))?;
            if ms.is_empty() {
                continue;
            }
            let mut out = String::with_capacity(cur.len());
            let mut last = 0;
            for (s, e, rep) in &ms {
                out.push_str(&cur[last..*s]);
                out.push_str(rep);
                last = *e;
            }
            out.push_str(&cur[last..]);
            if out.len() > max_growth(text.len()) {
                return Err(growth_error(rule, &self.path, text.len(), out.len()));
            }
            fired.push(Firing {
                rule: i,
                count: ms.len(),
            });
            cur = Cow::Owned(out);
        }
        Ok(Outcome::Kept(cur))
    }

    /// Applies the rules to every MT segment of a corpus. Deleted segments are removed or
    /// blanked as `mode` says. Errors name the document and segment.
    pub fn apply_corpus(&self, corpus: &Corpus, mode: DeleteMode) -> Result<(Corpus, Vec<Hit>)> {
        let mut hits = Vec::new();
        let mut documents = Vec::with_capacity(corpus.documents.len());
        let mut fired = Vec::new();
        for doc in &corpus.documents {
            let mut hyps = Vec::with_capacity(doc.hyps.len());
            for (s, segs) in doc.hyps.iter().enumerate() {
                let system = corpus.system_names.get(s).cloned().unwrap_or_default();
                let mut out = Vec::with_capacity(segs.len());
                for (i, seg) in segs.iter().enumerate() {
                    fired.clear();
                    let outcome = self.apply(seg, &mut fired).map_err(|e| {
                        Error::config(format!(
                            "system {system}, document {}, segment {}: {e}",
                            doc.id,
                            i + 1
                        ))
                    })?;
                    for f in &fired {
                        hits.push(Hit {
                            rule: self.rules[f.rule].id.clone(),
                            system: system.clone(),
                            document: doc.id.clone(),
                            segment: if segs.len() == doc.lines.len() {
                                doc.lines[i]
                            } else {
                                i + 1
                            },
                            count: f.count,
                        });
                    }
                    match (outcome, mode) {
                        (Outcome::Kept(t), _) => out.push(t.into_owned()),
                        (Outcome::Deleted, DeleteMode::Blank) => out.push(String::new()),
                        (Outcome::Deleted, DeleteMode::Remove) => {}
                    }
                }
                hyps.push(out);
            }
            documents.push(Document {
                hyps,
                ..doc.clone()
            });
        }
        Ok((
            Corpus {
                documents,
                ..corpus.clone()
            },
            hits,
        ))
    }

    /// Runs every rule's examples with the rule alone. Returns one message per failing example.
    pub fn check_examples(&self) -> Result<Vec<String>> {
        let mut failures = Vec::new();
        for (i, rule) in self.rules.iter().enumerate() {
            if rule.examples.is_empty() {
                continue;
            }
            let alone = self.subset(&[i])?;
            for ex in &rule.examples {
                let got = match alone.apply(&ex.input, &mut Vec::new()) {
                    Ok(Outcome::Kept(t)) => t.into_owned(),
                    Ok(Outcome::Deleted) => String::new(),
                    Err(e) => format!("<error: {e}>"),
                };
                if got != ex.expect {
                    failures.push(format!(
                        "{}: example {:?}: expected {:?}, got {:?}",
                        rule.locate(&self.path),
                        ex.input,
                        ex.expect,
                        got
                    ));
                }
            }
        }
        Ok(failures)
    }
}

impl LiteralPass {
    /// True when literal rule `rule` alone has an accepted match in `text`.
    fn single_matches(&self, rules: &[Rule], rule: usize, text: &str) -> bool {
        let Some(ac) = &self.ac else { return false };
        ac.find_overlapping_iter(text).any(|m| {
            let r = self.rules[m.pattern().as_usize()];
            r == rule
                && (rules[r].case_insensitive
                    || text[m.start()..m.end()] == *rules[r].pattern.as_str())
                && (!rules[r].word_boundary || boundary_ok(text, m.start(), m.end()))
        })
    }
}

#[cfg(test)]
mod tests;
