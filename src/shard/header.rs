//! The header of a stats file: one serde type, [`StatsHeader`], written as `# key: value`
//! lines in field order and read back from them (format in the [parent module's
//! docs](super)).
//!
//! Each field's value is its serde JSON, except that a JSON string is written bare (`# align:
//! auto`, `# corpus: wmt22-ru-en`): the fields that serialise to strings are listed in
//! [`BARE`], so that reading knows which values to take as they are.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::ShardSpec;
use crate::error::{Error, Location, Result};
use crate::eval::AlignMode;
use crate::metrics::{build_metrics, MetricOptions, MetricSpec, Smooth, Ter};
use crate::text::normalize::Normalizer;
use crate::text::tokenize::Tokenizer;

/// How a corpus was dealt to shards: by document, or (a one-document corpus) by segment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Split {
    Documents,
    Segments,
}

/// Everything that determines a shard's statistics, and which shard it is. Shards merge only
/// when their headers are equal but for [`StatsHeader::shard`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StatsHeader {
    /// The mtharness version that wrote the file.
    pub version: String,
    /// The corpus name.
    pub corpus: String,
    /// Reference set names.
    pub refs: Vec<String>,
    /// System names, in corpus order.
    pub systems: Vec<String>,
    /// Metric names as `score -m` takes them.
    pub metrics: Vec<String>,
    /// The options the metrics were built with.
    #[serde(with = "options_record")]
    pub metric_options: MetricOptions,
    /// The normalisation, as its signature (`none`, `nfc+quotes`, ...).
    #[serde(with = "display_fromstr")]
    pub normalize: Normalizer,
    #[serde(with = "align_name")]
    pub align: AlignMode,
    /// Documents in the whole corpus.
    pub documents: usize,
    pub split: Split,
    #[serde(with = "display_fromstr")]
    pub shard: ShardSpec,
}

/// The fields whose values are written bare (they serialise to JSON strings).
pub const BARE: [&str; 6] = ["version", "corpus", "normalize", "align", "split", "shard"];

impl StatsHeader {
    /// The `(key, value)` pairs of the header lines, in field order.
    pub fn lines(&self) -> Vec<(String, String)> {
        let serde_json::Value::Object(map) =
            serde_json::to_value(self).expect("a stats header serialises")
        else {
            unreachable!("a struct serialises to an object")
        };
        let mut out: Vec<(String, String)> = map
            .into_iter()
            .map(|(k, v)| {
                let text = match v {
                    serde_json::Value::String(s) => s,
                    other => other.to_string(),
                };
                (k, text)
            })
            .collect();
        // serde_json's map is sorted by key: put the lines back in field order
        out.sort_by_key(|(k, _)| FIELDS.iter().position(|f| f == k));
        out
    }

    /// The header from its `(line number, key, value)` lines; errors name the file and line.
    pub fn from_lines(path: &std::path::Path, lines: &[(usize, String, String)]) -> Result<Self> {
        let mut map = serde_json::Map::new();
        for (n, k, v) in lines {
            let at = || Location::line(path, *n);
            if !FIELDS.contains(&k.as_str()) {
                return Err(Error::input(
                    at(),
                    format!(
                        "unknown header line '{k}' (expected one of {})",
                        FIELDS.join(", ")
                    ),
                ));
            }
            let value = if BARE.contains(&k.as_str()) {
                serde_json::Value::String(v.clone())
            } else {
                serde_json::from_str(v)
                    .map_err(|e| Error::input(at(), format!("header '{k}': {e}")))?
            };
            if map.insert(k.clone(), value).is_some() {
                return Err(Error::input(
                    at(),
                    format!("header line '{k}' is given twice"),
                ));
            }
        }
        // the line of the field a value error is about, when it names one
        let line_of = |msg: &str| {
            lines
                .iter()
                .find(|(_, k, _)| {
                    msg.contains(&format!("`{k}`")) || msg.contains(&format!("'{k}'"))
                })
                .map_or(1, |(n, _, _)| *n)
        };
        serde_json::from_value(serde_json::Value::Object(map)).map_err(|e| {
            let msg = e.to_string();
            Error::input(
                Location::line(path, line_of(&msg)),
                format!("header: {msg}"),
            )
        })
    }

    /// The metrics this header names, built with its options: the same call builds them for
    /// the shard and for its merge.
    pub fn build_metrics(&self) -> Result<Vec<MetricSpec>> {
        build_metrics(&self.metrics, &self.metric_options)
    }

    /// The header lines that differ from `other`'s, but for `shard`, as `key: 'a' vs 'b'`.
    pub fn differences(&self, other: &StatsHeader) -> Vec<String> {
        self.lines()
            .into_iter()
            .zip(other.lines())
            .filter(|((k, a), (_, b))| k != "shard" && a != b)
            .map(|((k, a), (_, b))| format!("{k}: '{a}' vs '{b}'"))
            .collect()
    }
}

/// The header's field names in file order.
const FIELDS: [&str; 11] = [
    "version",
    "corpus",
    "refs",
    "systems",
    "metrics",
    "metric_options",
    "normalize",
    "align",
    "documents",
    "split",
    "shard",
];

/// A value written as its `Display` form and read back with `FromStr`.
mod display_fromstr {
    use super::*;

    pub fn serialize<T: std::fmt::Display, S: Serializer>(v: &T, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(v)
    }

    pub fn deserialize<'de, T, D>(d: D) -> Result<T, D::Error>
    where
        T: std::str::FromStr<Err = Error>,
        D: Deserializer<'de>,
    {
        let text = String::deserialize(d)?;
        text.parse().map_err(serde::de::Error::custom)
    }

    type Result<T, E> = std::result::Result<T, E>;
}

/// [`AlignMode`] as `auto`, `always` or `never`.
mod align_name {
    use super::*;

    pub fn serialize<S: Serializer>(a: &AlignMode, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(match a {
            AlignMode::Auto => "auto",
            AlignMode::Always => "always",
            AlignMode::Never => "never",
        })
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<AlignMode, D::Error> {
        match String::deserialize(d)?.as_str() {
            "auto" => Ok(AlignMode::Auto),
            "always" => Ok(AlignMode::Always),
            "never" => Ok(AlignMode::Never),
            other => Err(serde::de::Error::custom(format!(
                "unknown align mode '{other}' (auto, always or never)"
            ))),
        }
    }

    type Result<T, E> = std::result::Result<T, E>;
}

/// [`MetricOptions`] as the header records them: `score`'s flag names, in alphabetical order.
mod options_record {
    use super::*;

    #[derive(Serialize, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct OptionsRecord {
        lowercase: bool,
        smooth_method: String,
        smooth_value: Option<f64>,
        ter_asian_support: bool,
        ter_case_sensitive: bool,
        ter_no_punct: bool,
        ter_normalized: bool,
        tokenize: Tokenizer,
    }

    pub fn serialize<S: Serializer>(o: &MetricOptions, s: S) -> Result<S::Ok, S::Error> {
        OptionsRecord {
            tokenize: o.tokenize,
            lowercase: o.lowercase,
            smooth_method: o.smooth.name().to_string(),
            smooth_value: match o.smooth {
                Smooth::Floor(v) | Smooth::AddK(v) => Some(v),
                Smooth::None | Smooth::Exp => None,
            },
            ter_case_sensitive: o.ter.case_sensitive,
            ter_normalized: o.ter.normalized,
            ter_no_punct: o.ter.no_punct,
            ter_asian_support: o.ter.asian_support,
        }
        .serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<MetricOptions, D::Error> {
        let r = OptionsRecord::deserialize(d)?;
        Ok(MetricOptions {
            tokenize: r.tokenize,
            lowercase: r.lowercase,
            smooth: Smooth::from_name(&r.smooth_method, r.smooth_value)
                .map_err(serde::de::Error::custom)?,
            ter: Ter {
                case_sensitive: r.ter_case_sensitive,
                normalized: r.ter_normalized,
                no_punct: r.ter_no_punct,
                asian_support: r.ter_asian_support,
            },
        })
    }

    type Result<T, E> = std::result::Result<T, E>;
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn header() -> StatsHeader {
        StatsHeader {
            version: "0.1.0".into(),
            corpus: "123".into(), // looks like a number: written and read as a name
            refs: vec!["A".into()],
            systems: vec!["sys,1".into(), "sys \"2\"".into()],
            metrics: vec!["bleu".into(), "ter".into()],
            metric_options: MetricOptions {
                smooth: Smooth::Floor(0.25),
                ..MetricOptions::default()
            },
            normalize: "ws,nfc".parse().unwrap(),
            align: AlignMode::Never,
            documents: 7,
            split: Split::Segments,
            shard: "2/3".parse().unwrap(),
        }
    }

    /// Header lines with their line numbers.
    type Numbered = Vec<(usize, String, String)>;

    fn numbered(lines: Vec<(String, String)>) -> Numbered {
        lines
            .into_iter()
            .enumerate()
            .map(|(i, (k, v))| (i + 2, k, v))
            .collect()
    }

    #[test]
    fn lines_in_field_order_and_back() {
        let h = header();
        let lines = h.lines();
        let keys: Vec<&str> = lines.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys, FIELDS);
        let text: Vec<String> = lines.iter().map(|(k, v)| format!("{k}: {v}")).collect();
        assert_eq!(text[1], "corpus: 123");
        assert_eq!(text[3], r#"systems: ["sys,1","sys \"2\""]"#);
        assert_eq!(
            text[5],
            "metric_options: {\"lowercase\":false,\"smooth_method\":\"floor\",\"smooth_value\":0.25,\
             \"ter_asian_support\":false,\"ter_case_sensitive\":false,\"ter_no_punct\":false,\
             \"ter_normalized\":false,\"tokenize\":\"13a\"}"
        );
        assert_eq!(text[6], "normalize: nfc+ws"); // the normaliser's signature
        assert_eq!(
            &text[7..],
            [
                "align: never",
                "documents: 7",
                "split: segments",
                "shard: 2/3"
            ]
        );
        let back = StatsHeader::from_lines(Path::new("s.csv"), &numbered(lines)).unwrap();
        assert_eq!(back, h);
    }

    #[test]
    fn differences_skip_the_shard() {
        let a = header();
        let mut b = header();
        b.shard = "0/3".parse().unwrap();
        assert!(a.differences(&b).is_empty());
        b.align = AlignMode::Auto;
        assert_eq!(a.differences(&b), ["align: 'never' vs 'auto'"]);
    }

    #[test]
    fn bad_headers_name_the_line() {
        let err = |edit: &dyn Fn(&mut Numbered)| {
            let mut lines = numbered(header().lines());
            edit(&mut lines);
            StatsHeader::from_lines(Path::new("s.csv"), &lines)
                .unwrap_err()
                .to_string()
        };
        let e = err(&|l| l.push((20, "colour".into(), "blue".into())));
        assert!(
            e.contains("s.csv:20") && e.contains("unknown header line 'colour'"),
            "{e}"
        );
        let e = err(&|l| l.push((21, "align".into(), "auto".into())));
        assert!(
            e.contains("s.csv:21") && e.contains("'align' is given twice"),
            "{e}"
        );
        let e = err(&|l| l.retain(|(_, k, _)| k != "documents"));
        assert!(e.contains("missing field `documents`"), "{e}");
        let e = err(&|l| l[7].2 = "sometimes".into());
        assert!(e.contains("unknown align mode 'sometimes'"), "{e}");
        let e = err(&|l| l[2].2 = "[\"A\"".into());
        assert!(e.contains("s.csv:4") && e.contains("header 'refs'"), "{e}");
        let e = err(&|l| l[10].2 = "3/3".into());
        assert!(e.contains("expected I/N"), "{e}");
    }
}
