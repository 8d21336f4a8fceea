//! Documents and systems: units summed, records written, consistency over the document.

use std::collections::HashMap;

use super::record::{snippet, REF_CONTEXT};
use super::UnitTerms;
use super::{name_check, ErrorType, NameStats, Pairing, TermEvaluator, TermRecord, TermStats};
use crate::corpus::{Corpus, Document};
use crate::error::{Error, Result};
use crate::glossary::{name_tokens, FormKind};

/// Terms of one document for one system.
#[derive(Debug, Clone, PartialEq)]
pub struct DocumentTerms {
    pub document: String,
    pub system: String,
    pub stats: TermStats,
    pub names: NameStats,
    /// Term occurrences (correct ones included), extras and inconsistencies, then proper-noun
    /// findings (errors only), in text order within each kind.
    pub records: Vec<TermRecord>,
}

/// Terms of one system over a corpus.
#[derive(Debug, Clone, PartialEq)]
pub struct SystemTerms {
    pub system: String,
    pub stats: TermStats,
    pub names: NameStats,
    pub documents: Vec<DocumentTerms>,
}

impl TermEvaluator {
    /// Scores one document of one system (`doc.hyps[system]`): term statistics, name
    /// statistics, and records. Consistency is computed over the whole document.
    pub fn document(
        &self,
        doc: &Document,
        system: usize,
        system_name: &str,
        pairing: Pairing,
    ) -> Result<DocumentTerms> {
        let hyps = doc.hyps.get(system).ok_or_else(|| {
            Error::config(format!(
                "document {}: no system number {system} (it has {})",
                doc.id,
                doc.hyps.len()
            ))
        })?;
        let aligned = doc.is_line_aligned();
        let by_segment = match pairing {
            Pairing::Auto => aligned,
            Pairing::Segments if !aligned => {
                return Err(Error::mismatch(format!(
                    "document {}: system {system_name} has {} segments, the reference {}; \
                     use document pairing or align the segments first",
                    doc.id,
                    hyps.len(),
                    doc.num_segments()
                )));
            }
            Pairing::Segments => true,
            Pairing::Document => false,
        };
        let mut out = DocumentTerms {
            document: doc.id.clone(),
            system: system_name.to_string(),
            stats: TermStats::default(),
            names: NameStats::default(),
            records: Vec::new(),
        };
        let mut renders = Renderings::default();
        let ref0: Vec<&str> = doc
            .refs
            .first()
            .map(|r| r.iter().map(String::as_str).collect())
            .unwrap_or_default();
        let names = name_tokens(&ref0);
        let mut name_records = Vec::new();
        if by_segment {
            for i in 0..doc.num_segments() {
                let refs: Vec<&str> = doc.refs.iter().map(|r| r[i].as_str()).collect();
                let hyp = hyps[i].as_str();
                let src = doc
                    .source
                    .as_ref()
                    .and_then(|s| s.get(i))
                    .map(String::as_str);
                let u = self.unit(hyp, &refs, src);
                self.collect(&u, hyp, refs[u.reference], Some(i), &mut out, &mut renders);
                let seg_names: Vec<&str> = names
                    .iter()
                    .filter(|t| t.unit == i)
                    .map(|t| &ref0[i][t.start..t.end])
                    .collect();
                let (ns, recs) = name_check(&seg_names, hyp);
                out.names += &ns;
                name_records.extend(recs.into_iter().map(|r| (Some(i), r)));
            }
        } else {
            let refs: Vec<String> = doc.refs.iter().map(|r| r.join("\n")).collect();
            let refs: Vec<&str> = refs.iter().map(String::as_str).collect();
            let hyp = hyps.join("\n");
            let src = doc.source.as_ref().map(|s| s.join("\n"));
            let u = self.unit(&hyp, &refs, src.as_deref());
            let reference = refs.get(u.reference).copied().unwrap_or("");
            self.collect(&u, &hyp, reference, None, &mut out, &mut renders);
            let all_names: Vec<&str> = names
                .iter()
                .map(|t| &ref0[t.unit][t.start..t.end])
                .collect();
            let (ns, recs) = name_check(&all_names, &hyp);
            out.names += &ns;
            name_records.extend(recs.into_iter().map(|r| (None, r)));
        }
        // consistency
        for g in &renders.groups {
            if g.len() < 2 {
                continue;
            }
            out.stats.consistency_groups += 1;
            let mut distinct: Vec<(&Rendering, &str)> = Vec::new();
            for (r, found) in g.iter().map(|(_, r, f)| (r, f.as_str())) {
                if !distinct.iter().any(|(d, _)| *d == r) {
                    distinct.push((r, found));
                }
            }
            if distinct.len() > 1 {
                out.stats.inconsistent_groups += 1;
                let entry = &self.glossary.entries()[g[0].0 .0];
                out.records.push(TermRecord {
                    document: doc.id.clone(),
                    segment: None,
                    system: system_name.to_string(),
                    term_id: entry.id.clone(),
                    expected: entry.expected.clone(),
                    found: distinct
                        .iter()
                        .map(|(_, f)| *f)
                        .collect::<Vec<_>>()
                        .join(" | "),
                    error: ErrorType::Inconsistent,
                    edit_distance: None,
                    context: format!("{} renderings of {} occurrences", distinct.len(), g.len()),
                });
            }
        }
        for (seg, r) in name_records {
            out.records.push(TermRecord {
                document: doc.id.clone(),
                segment: seg,
                system: system_name.to_string(),
                term_id: format!("name:{}", r.name),
                expected: r.name,
                found: r.found,
                error: r.error,
                edit_distance: r.edit_distance,
                context: String::new(),
            });
        }
        Ok(out)
    }

    /// Adds a unit's stats, records and renderings to a document result.
    fn collect(
        &self,
        u: &UnitTerms,
        hyp: &str,
        reference: &str,
        segment: Option<usize>,
        out: &mut DocumentTerms,
        renders: &mut Renderings,
    ) {
        out.stats += &u.stats;
        let entries = self.glossary.entries();
        let (document, system) = (out.document.clone(), out.system.clone());
        // A record of glossary entry `entry` in this unit.
        let record = |entry: usize, found: &str, error, edit_distance, context| {
            let e = &entries[entry];
            TermRecord {
                document: document.clone(),
                segment,
                system: system.clone(),
                term_id: e.id.clone(),
                expected: e.expected.clone(),
                found: found.to_string(),
                error,
                edit_distance,
                context,
            }
        };
        for o in &u.occurrences {
            let found = o.hyp_span.clone().map_or("", |r| &hyp[r]);
            let context = match (&o.hyp_span, &o.ref_span) {
                (Some(h), _) => snippet(hyp, h.start, h.end),
                (None, Some(r)) => format!("{REF_CONTEXT}{}", snippet(reference, r.start, r.end)),
                (None, None) => "source only".to_string(),
            };
            out.records
                .push(record(o.entry, found, o.outcome, o.edit_distance, context));
            let rendering = match (o.outcome, o.hyp_form) {
                (ErrorType::Correct | ErrorType::Forbidden, Some((k, v))) => {
                    Some(Rendering::Form(k, v))
                }
                (ErrorType::Misspelt, _) => Some(Rendering::Misspelt(found.to_lowercase())),
                _ => None,
            };
            if let Some(r) = rendering {
                renders.add(o.entry, o.ref_form, r, found.to_string());
            }
        }
        for m in &u.extras {
            let context = snippet(hyp, m.start, m.end);
            let found = &hyp[m.start..m.end];
            out.records
                .push(record(m.entry, found, ErrorType::Extra, None, context));
        }
    }

    /// Scores every system of a corpus, document by document.
    pub fn corpus(&self, corpus: &Corpus, pairing: Pairing) -> Result<Vec<SystemTerms>> {
        let mut out = Vec::with_capacity(corpus.system_names.len());
        for (s, name) in corpus.system_names.iter().enumerate() {
            let mut st = SystemTerms {
                system: name.clone(),
                stats: TermStats::default(),
                names: NameStats::default(),
                documents: Vec::with_capacity(corpus.documents.len()),
            };
            for doc in &corpus.documents {
                let d = self.document(doc, s, name, pairing)?;
                st.stats += &d.stats;
                st.names += &d.names;
                st.documents.push(d);
            }
            out.push(st);
        }
        Ok(out)
    }
}

/// How the hypothesis rendered one occurrence, for consistency.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Rendering {
    Form(FormKind, usize),
    Misspelt(String),
}

type GroupKey = (usize, Option<(FormKind, usize)>);

/// Renderings grouped by (entry, reference form), groups in first-appearance order.
#[derive(Default)]
struct Renderings {
    index: HashMap<GroupKey, usize>,
    groups: Vec<Vec<(GroupKey, Rendering, String)>>,
}

impl Renderings {
    fn add(
        &mut self,
        entry: usize,
        ref_form: Option<(FormKind, usize)>,
        r: Rendering,
        found: String,
    ) {
        let key = (entry, ref_form);
        let n = self.groups.len();
        let gi = *self.index.entry(key).or_insert(n);
        if gi == n {
            self.groups.push(Vec::new());
        }
        self.groups[gi].push((key, r, found));
    }
}
