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
