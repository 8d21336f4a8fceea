use super::*;

fn set(toml: &str) -> Result<RuleSet> {
    parse_rules(toml, Path::new("rules.toml"))
}

fn run(rs: &RuleSet, text: &str) -> (Option<String>, Vec<Firing>) {
    let mut f = Vec::new();
    let out = match rs.apply(text, &mut f).unwrap() {
        Outcome::Kept(t) => Some(t.into_owned()),
        Outcome::Deleted => None,
    };
    (out, f)
}

#[test]
fn literal_rule_replaces_every_match() {
    let rs = set("[[rule]]\nid = \"a\"\npattern = \"fire\"\nreplace = \"ceasefire\"\n").unwrap();
    let (out, f) = run(&rs, "fire and fire");
    assert_eq!(out.as_deref(), Some("ceasefire and ceasefire"));
    assert_eq!(f, vec![Firing { rule: 0, count: 2 }]);
}

fn err(toml: &str) -> String {
    set(toml).unwrap_err().to_string()
}

#[test]
fn literal_rules_are_leftmost_longest_in_one_pass() {
    let rs = set(r#"
[[rule]]
id = "short"
pattern = "fire"
replace = "X"
[[rule]]
id = "long"
pattern = "immediate fire"
replace = "immediate ceasefire"
"#)
    .unwrap();
    // The longer match wins where they overlap; the replacement is not rescanned.
    let (out, f) = run(&rs, "an immediate fire and a fire");
    assert_eq!(out.as_deref(), Some("an immediate ceasefire and a X"));
    assert_eq!(
        f,
        vec![Firing { rule: 0, count: 1 }, Firing { rule: 1, count: 1 }]
    );
}

#[test]
fn word_boundary_rejects_matches_inside_words_without_hiding_others() {
    let rs = set(r#"
[[rule]]
id = "fire"
pattern = "fire"
replace = "ceasefire"
word_boundary = true
"#)
    .unwrap();
    assert_eq!(
        run(&rs, "ceasefire fire firefly").0.as_deref(),
        Some("ceasefire ceasefire firefly")
    );
    let re = set("[[rule]]\nid = \"r\"\npattern = \"fire\"\nregex = true\nreplace = \"F\"\nword_boundary = true\n").unwrap();
    assert_eq!(run(&re, "ceasefire fire").0.as_deref(), Some("ceasefire F"));
}

#[test]
fn case_options() {
    let ci = set("[[rule]]\nid = \"a\"\npattern = \"hegesh\"\nreplace = \"hegseth\"\ncase_insensitive = true\npreserve_case = true\n").unwrap();
    assert_eq!(
        run(&ci, "Hegesh HEGESH hegesh").0.as_deref(),
        Some("Hegseth HEGSETH hegseth")
    );
    let cs = set("[[rule]]\nid = \"a\"\npattern = \"hegesh\"\nreplace = \"hegseth\"\n").unwrap();
    assert_eq!(
        run(&cs, "Hegesh hegesh").0.as_deref(),
        Some("Hegesh hegseth")
    );
    // A case-sensitive rule next to a case-insensitive one in the same automaton.
    let mixed = set("[[rule]]\nid = \"a\"\npattern = \"ab\"\nreplace = \"1\"\n[[rule]]\nid = \"b\"\npattern = \"cd\"\nreplace = \"2\"\ncase_insensitive = true\n").unwrap();
    assert_eq!(run(&mixed, "AB ab CD cd").0.as_deref(), Some("AB 1 2 2"));
    let rx = set("[[rule]]\nid = \"a\"\npattern = \"é+\"\nregex = true\nreplace = \"e\"\ncase_insensitive = true\npreserve_case = true\n").unwrap();
    assert_eq!(run(&rx, "ÉÉ é").0.as_deref(), Some("E e"));
    assert_eq!(shape_case("Word", "new word"), "New word");
    assert_eq!(shape_case("x1", "ABC"), "abc");
    assert_eq!(shape_case("mIxEd", "Keep"), "Keep");
}

#[test]
fn regex_rules_expand_groups_and_run_after_literals_in_file_order() {
    let rs = set(r#"
[[rule]]
id = "swap"
pattern = '(?P<a>\w+)-(\w+)'
regex = true
replace = "${2}-$a"
[[rule]]
id = "lit"
pattern = "x"
replace = "y-z"
"#)
    .unwrap();
    // The literal pass runs first (x -> y-z), then the regex swaps.
    let (out, f) = run(&rs, "x");
    assert_eq!(out.as_deref(), Some("z-y"));
    assert_eq!(
        f,
        vec![Firing { rule: 1, count: 1 }, Firing { rule: 0, count: 1 }]
    );
}

#[test]
fn delete_segment_rules_drop_or_blank() {
    let rs = set("[[rule]]\nid = \"d\"\npattern = \"Source link\"\nscope = \"delete-segment\"\n[[rule]]\nid = \"r\"\npattern = \"a\"\nreplace = \"b\"\n").unwrap();
    assert_eq!(run(&rs, "Source link").0, None);
    assert_eq!(run(&rs, "a").0.as_deref(), Some("b"));
    let corpus = Corpus {
        name: "c".into(),
        ref_names: vec!["A".into()],
        system_names: vec!["s".into()],
        documents: vec![Document {
            id: "d".into(),
            refs: vec![vec!["a".into(), "".into()]],
            hyps: vec![vec!["a".into(), "Source link".into()]],
            lines: vec![1, 2],
            source: None,
        }],
    };
    let (blank, hits) = rs.apply_corpus(&corpus, DeleteMode::Blank).unwrap();
    assert_eq!(
        blank.documents[0].hyps[0],
        vec!["b".to_string(), String::new()]
    );
    assert_eq!(hits.len(), 2);
    assert_eq!((hits[1].rule.as_str(), hits[1].segment), ("d", 2));
    let (removed, _) = rs.apply_corpus(&corpus, DeleteMode::Remove).unwrap();
    assert_eq!(removed.documents[0].hyps[0], vec!["b".to_string()]);
}

#[test]
fn growth_beyond_the_bound_is_an_error_naming_the_rule() {
    let big = "y".repeat(2000);
    let rs = set(&format!(
        "[[rule]]\nid = \"grow\"\npattern = \"x\"\nreplace = \"{big}\"\n"
    ))
    .unwrap();
    let e = rs.apply("x", &mut Vec::new()).unwrap_err().to_string();
    assert!(e.contains("\"grow\"") && e.contains("grew"), "{e}");
    let rs = set(&format!(
        "[[rule]]\nid = \"grow\"\npattern = \"x\"\nregex = true\nreplace = \"{big}\"\n"
    ))
    .unwrap();
    assert!(rs
        .apply("x", &mut Vec::new())
        .unwrap_err()
        .to_string()
        .contains("\"grow\""));
    // A replacement that contains its own pattern is applied once: no loop.
    let rs = set("[[rule]]\nid = \"self\"\npattern = \"fire\"\nreplace = \"ceasefire\"\n").unwrap();
    assert_eq!(run(&rs, "fire").0.as_deref(), Some("ceasefire"));
}

#[test]
fn errors_name_the_rule_and_the_line() {
    let e = err("[[rule]]\nid = \"a\"\npattern = \"x\"\n\n[[rule]]\nid = \"b\"\npattern = \"(\"\nregex = true\n");
    assert!(
        e.starts_with("rules.toml:5:") && e.contains("\"b\"") && e.contains("invalid regex"),
        "{e}"
    );
    let e = err("[[rule]]\nid = \"a\"\npattern = \"x\"\n[[rule]]\nid = \"a\"\npattern = \"y\"\n");
    assert!(
        e.starts_with("rules.toml:4:") && e.contains("duplicate id"),
        "{e}"
    );
    let e = err("[[rule]]\nid = \"a\"\npattern = \"x\"\n[[rule]]\nid = \"e\"\npattern = \"\"\n");
    assert!(
        e.starts_with("rules.toml:4:") && e.contains("\"e\"") && e.contains("empty pattern"),
        "{e}"
    );
    let e = err("[[rule]]\nid = \"a\"\npattern = \"x\"\n[[rule]]\nid = \"u\"\npattern = \"y\"\nreplac = \"z\"\n");
    assert!(
        e.starts_with("rules.toml:7:") && e.contains("\"u\"") && e.contains("replac"),
        "{e}"
    );
    let e = err("[[rule]]\nid = \"g\"\npattern = \"(x)\"\nregex = true\nreplace = \"$2\"\n");
    assert!(e.contains("\"g\"") && e.contains("$2"), "{e}");
    let e = err("[[rule]]\nid = \"s\"\npattern = \"x\"\nscope = \"everywhere\"\n");
    assert!(e.starts_with("rules.toml:4:") && e.contains("\"s\""), "{e}");
    let e =
        err("[[rule]]\nid = \"d\"\npattern = \"x\"\nscope = \"delete-segment\"\nreplace = \"y\"\n");
    assert!(e.contains("\"d\"") && e.contains("replace"), "{e}");
    let e = err("[[rule]]\nid = \"\"\npattern = \"x\"\n");
    assert!(e.contains("empty id"), "{e}");
    let e = err("[[rule]]\nid = \"x\"\npattern = \"x\"\n[[rule.example]]\ninput = \"x\"\nexpected = \"y\"\n");
    assert!(e.contains("expected") && e.contains("\"x\""), "{e}");
}

#[test]
fn examples_run_with_the_rule_alone() {
    let rs = set(r#"
[[rule]]
id = "ok"
pattern = "a"
replace = "b"
[[rule.example]]
input = "a"
expect = "b"
[[rule]]
id = "bad"
pattern = "c"
replace = "d"
[[rule.example]]
input = "a c"
expect = "b d"
"#)
    .unwrap();
    let f = rs.check_examples().unwrap();
    assert_eq!(f.len(), 1);
    assert!(
        f[0].contains("rules.toml:9 rule \"bad\"") && f[0].contains("\"a d\""),
        "{}",
        f[0]
    );
}

#[test]
fn word_diff_marks_changed_words() {
    assert_eq!(
        test::word_diff("a fire b", "a ceasefire b"),
        "[-fire-]{+ceasefire+}"
    );
    assert_eq!(test::word_diff("a b", "a"), "[-b-]");
}

#[test]
fn min_gain_values_parse() {
    assert_eq!(
        parse_min_gains(&["BLEU=1.5".into()]).unwrap(),
        vec![("BLEU".to_string(), 1.5)]
    );
    assert!(parse_min_gains(&["BLEU".into()]).is_err());
    assert!(parse_min_gains(&["BLEU=x".into()]).is_err());
}

#[test]
fn line_starts_give_the_line_of_every_offset() {
    for text in [
        "",
        "\n",
        "a",
        "a\nb",
        "a\n\nb\n",
        "[[rule]]\nid = \"x\"\n\n[[rule]]\n",
    ] {
        let lines = LineStarts::new(text);
        for offset in 0..=text.len() + 2 {
            assert_eq!(
                lines.line(offset),
                1 + text.as_bytes()[..offset.min(text.len())]
                    .iter()
                    .filter(|&&b| b == b'\n')
                    .count(),
                "{text:?} at {offset}"
            );
        }
    }
}

#[test]
fn many_rules_keep_their_lines() {
    // 5,000 rules: each one's line is found without rescanning the file (issue 21, finding
    // 10: a rescan per rule made 100,000 rules take minutes); a duplicate id names its line.
    let mut text: String = (0..5000)
        .map(|i| format!("[[rule]]\nid = \"r{i}\"\npattern = \"w{i}\"\n\n"))
        .collect();
    text.push_str("[[rule]]\nid = \"r7\"\npattern = \"again\"\n");
    let err = parse_rules(&text, Path::new("many.toml"))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("many.toml:20001") && err.contains("duplicate id"),
        "{err}"
    );
}

#[test]
fn a_growing_regex_rule_stops_before_building_its_replacements() {
    // issue 21, finding 14: `.` -> 100 KB on a 20 KB line would build 2 GB of replacements
    // before the growth check; the check now runs as the replacements are made.
    let text = format!(
        "[[rule]]\nid = \"dot\"\nregex = true\npattern = \".\"\nreplace = \"{}\"\n",
        "x".repeat(100_000)
    );
    let rules = parse_rules(&text, Path::new("grow.toml")).unwrap();
    let line = "y".repeat(20_000);
    let err = rules.apply(&line, &mut Vec::new()).unwrap_err().to_string();
    assert!(
        err.contains("\"dot\"") && err.contains("limit 81024"),
        "{err}"
    );
}

#[test]
fn a_growing_literal_rule_stops_at_the_limit() {
    let text = format!(
        "[[rule]]\nid = \"why\"\npattern = \"y\"\nreplace = \"{}\"\n",
        "x".repeat(100_000)
    );
    let rules = parse_rules(&text, Path::new("grow.toml")).unwrap();
    let line = "y ".repeat(10_000);
    let err = rules.apply(&line, &mut Vec::new()).unwrap_err().to_string();
    assert!(
        err.contains("\"why\"") && err.contains("limit 81024"),
        "{err}"
    );
}
