use super::*;

fn t13a(s: &str) -> String {
    Tokenizer::Tok13a.tokenize(s)
}

// Expected strings below were produced by sacreBLEU 2.6.0's tokenisers (Python 3.11).

#[test]
fn names_round_trip_and_errors() {
    for name in TOKENIZER_NAMES {
        let t: Tokenizer = name.parse().unwrap();
        assert_eq!(t.name(), name);
        assert_eq!(t.to_string(), name);
    }
    assert_eq!(Tokenizer::default(), Tokenizer::Tok13a);
    let err = "13A".parse::<Tokenizer>().unwrap_err().to_string();
    assert!(
        err.contains("\"13A\"") && err.contains("none, 13a, intl, zh, char"),
        "{err}"
    );
}

#[test]
fn py_space_width_matches_is_python_whitespace() {
    let text = "a\u{85}\u{a0}\u{a9}\u{1680}\u{1681}\u{2000}\u{201c}\u{3000}\u{3001}\t\u{1f} 日";
    for (i, c) in text.char_indices() {
        let want = if is_python_whitespace(c) {
            c.len_utf8()
        } else {
            0
        };
        assert_eq!(py_space_width(text, i), want, "{c:?}");
        for k in 1..c.len_utf8() {
            assert_eq!(py_space_width(text, i + k), 0, "inside {c:?}");
        }
    }
    assert_eq!(py_space_width(text, text.len()), 0);
}

#[test]
fn python_whitespace() {
    for c in "\t\n\u{b}\u{c}\r\u{1c}\u{1d}\u{1e}\u{1f} \u{85}\u{a0}\u{1680}\u{2000}\u{200a}\u{2028}\u{2029}\u{202f}\u{205f}\u{3000}".chars() {
        assert!(is_python_whitespace(c), "{:?}", c);
    }
    for c in "\u{200b}\u{180e}\u{feff}a.\u{0}".chars() {
        assert!(!is_python_whitespace(c), "{:?}", c);
    }
    assert_eq!(
        split_whitespace_py("\u{1f}a\u{a0}b  c\u{3000}").collect::<Vec<_>>(),
        ["a", "b", "c"]
    );
    assert_eq!(rstrip_py("a b \u{1c}\n"), "a b");
    assert_eq!(strip_py(" \u{85}a b\t"), "a b");
}

#[test]
fn tok13a_periods_commas_digits() {
    assert_eq!(t13a("U.S."), "U . S .");
    assert_eq!(t13a("UU."), "UU .");
    assert_eq!(t13a("It costs 3.5 dollars."), "It costs 3.5 dollars .");
    assert_eq!(
        t13a("1,000 people, 2,5 and 1.000.000"),
        "1,000 people , 2,5 and 1.000.000"
    );
    assert_eq!(t13a("end."), "end .");
    assert_eq!(t13a("year 2022."), "year 2022 .");
    assert_eq!(t13a("a..b"), "a . . b");
    assert_eq!(t13a("1..5"), "1 . . 5");
    assert_eq!(t13a(".5 and 5. and ,5"), ". 5 and 5 . and , 5");
    assert_eq!(t13a("e.g.,"), "e . g . ,");
    assert_eq!(t13a("x.1"), "x . 1");
    assert_eq!(t13a("1.x"), "1 . x");
}

#[test]
fn tok13a_quotes_dashes_symbols() {
    assert_eq!(t13a("\"Hello,\" she said."), "\" Hello , \" she said .");
    assert_eq!(t13a("don't 'quote'"), "don't 'quote'");
    assert_eq!(
        t13a("1990-2000 well-known -5 a-1"),
        "1990 - 2000 well-known -5 a-1"
    );
    assert_eq!(t13a("10--20"), "10 - -20");
    assert_eq!(
        t13a("a+b=c {x} [y] (z) <w> @me #1 $5 %3 ^_^ ~/|\\`"),
        "a + b = c { x } [ y ] ( z ) < w > @ me # 1 $ 5 % 3 ^ _ ^ ~ / | \\ `"
    );
    assert_eq!(t13a("Ünïcödé—“quoted”…"), "Ünïcödé—“quoted”…");
    assert_eq!(t13a("naïve.élan"), "naïve . élan");
    assert_eq!(t13a("é,5 5,é"), "é , 5 5 , é");
}

#[test]
fn tok13a_cleanup() {
    assert_eq!(t13a("a <skipped> b"), "a b");
    assert_eq!(t13a("hyphen-\nated\nline"), "hyphenated line");
    assert_eq!(
        t13a("&quot;x&quot; &amp; &lt;y&gt; &amp;lt; &apos;"),
        "\" x \" & < y > < & apos ;"
    );
    assert_eq!(t13a(""), "");
    assert_eq!(t13a("   "), "");
    assert_eq!(t13a("a\u{a0}b\u{1e}c\td"), "a b c d");
}

#[test]
fn intl_rules_compile() {
    assert!(INTL_RULES.iter().all(|(re, _)| re.is_some()));
}

#[test]
fn intl() {
    let t = |s: &str| Tokenizer::Intl.tokenize(s);
    assert_eq!(t("U.S. 3.5 1,000 end."), "U . S . 3.5 1,000 end .");
    assert_eq!(t("year 2022."), "year 2022.");
    assert_eq!(
        t("Hello, «world»! ¿Qué? a–b c—d"),
        "Hello , « world » ! ¿ Qué ? a – b c — d"
    );
    assert_eq!(t("5€ $5 1+1=2 ©2020 x²."), "5 € $ 5 1 + 1 = 2 © 2020 x².");
    assert_eq!(t("½. Ⅻ. 日本語。"), "½ . Ⅻ . 日本語 。");
    assert_eq!(t("don't \"q\" 'q'"), "don ' t \" q \" ' q '");
    assert_eq!(t("&amp;"), "& amp ;");
    assert_eq!(t(""), "");
}

#[test]
fn zh() {
    let t = |s: &str| Tokenizer::Zh.tokenize(s);
    assert_eq!(t("我爱北京天安门。"), "我 爱 北 京 天 安 门 。");
    assert_eq!(t("  He said “好”—ok.  "), "He said “ 好 ” — ok .");
    assert_eq!(t("U.S. 2022. end."), "U . S . 2022 . end .");
    assert_eq!(t("year 2022."), "year 2022.");
    assert_eq!(t("３．５％"), "３ ． ５ ％");
    assert_eq!(t("𠀀𠀁 a"), "𠀀𠀁 a");
    assert_eq!(t("&quot;<skipped>"), "& quot ; < skipped >");
    assert_eq!(t(""), "");
    assert!(is_zh_split_char('\u{2001}') && !is_zh_split_char('\u{2000}'));
    assert!(is_zh_split_char('\u{2a6d}') && !is_zh_split_char('\u{2a6e}'));
    assert!(!is_zh_split_char('\u{20000}') && !is_zh_split_char('\u{4db6}'));
}

#[test]
fn char_and_none() {
    assert_eq!(Tokenizer::Char.tokenize("ab c."), "a b   c .");
    assert_eq!(Tokenizer::Char.tokenize("日本"), "日 本");
    assert_eq!(Tokenizer::Char.tokenize(""), "");
    assert_eq!(Tokenizer::None.tokenize(" a  b. "), " a  b. ");
}

#[test]
fn tokenize_into_reuses_and_clears() {
    let mut out = String::from("stale");
    Tokenizer::Tok13a.tokenize_into("a.", &mut out);
    assert_eq!(out, "a .");
    Tokenizer::Zh.tokenize_into("b.", &mut out);
    assert_eq!(out, "b .");
}

/// The four regexp rules as four plain byte-by-byte scans (the first implementation):
/// the oracle of the bulk-copying [`regexp_post_with`].
fn regexp_post_naive(parts: &[&str]) -> String {
    let mut a: Vec<u8> = Vec::new();
    for part in parts {
        for &c in part.as_bytes() {
            if is_re_rule1(c) {
                a.extend_from_slice(&[b' ', c, b' ']);
            } else {
                a.push(c);
            }
        }
    }
    type Rule = fn(u8, u8) -> Option<[u8; 4]>;
    let rules: [Rule; 3] = [
        |c, d| (!c.is_ascii_digit() && is_period_or_comma(d)).then_some([c, b' ', d, b' ']),
        |c, d| (is_period_or_comma(c) && !d.is_ascii_digit()).then_some([b' ', c, b' ', d]),
        |c, d| (c.is_ascii_digit() && d == b'-').then_some([c, b' ', d, b' ']),
    ];
    for rule in rules {
        let mut b = Vec::new();
        let mut i = 0;
        while i < a.len() {
            match a.get(i + 1).and_then(|&d| rule(a[i], d)) {
                Some(rep) => {
                    b.extend_from_slice(&rep);
                    i += 2;
                }
                None => {
                    b.push(a[i]);
                    i += 1;
                }
            }
        }
        a = b;
    }
    split_whitespace_py(std::str::from_utf8(&a).unwrap())
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn fused_13a_equals_regexp_passes_on_every_shared_corpus_line() {
    // Real text (English, German and Russian, with quotes, dashes, numbers and entities):
    // the fused scanner against the bulk-copy passes (themselves tested against the naive
    // scans below), line by line.
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpora");
    let Ok(sets) = std::fs::read_dir(&dir) else {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI needs {}",
            dir.display()
        );
        return;
    };
    let mut lines = 0;
    for set in sets.flatten() {
        for file in std::fs::read_dir(set.path())
            .into_iter()
            .flatten()
            .flatten()
        {
            let name = file.file_name().to_string_lossy().into_owned();
            if !(name.starts_with("hyp.") || name.starts_with("ref.") || name.starts_with("src.")) {
                continue;
            }
            let text = std::fs::read_to_string(file.path()).unwrap();
            for line in text.lines() {
                let clean = clean_13a(line);
                let mut expected = String::new();
                regexp_post(&[" ", &clean, " "], &mut expected);
                assert_eq!(t13a(line), expected, "{name}: {line:?}");
                lines += 1;
            }
        }
    }
    assert!(lines > 20_000, "{lines} lines");
}

/// The property tests compare the mask path with the scanner: make sure they do, on a
/// machine that has AVX2 (elsewhere both sides are the scanner, by design).
#[test]
fn mask_path_taken_on_ordinary_lines() {
    let line = "The mask path, taken on 3.5 lines of \u{201c}ordinary\u{201d} text (no \"dots\"), said she.";
    let mut masks = [blocks::Block::default(); blocks::MAX_BLOCKS];
    let classified = blocks::classify(line.as_bytes(), &mut masks);
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx2") {
        let n = classified.expect("AVX2 present: the mask path classifies");
        assert_eq!(n, 2);
        assert!(blocks::resolve(line, &mut masks[..n]));
        let mut tokens = Vec::new();
        blocks::emit_tokens(&mut masks[..n], &mut |a, b| tokens.push(&line[a..b]));
        assert_eq!(tokens.join(" "), t13a(line));
    }
    let _ = classified;
    // Too long for the masks: the scanner, same tokens.
    let long = "word. ".repeat(200);
    assert!(blocks::classify(long.as_bytes(), &mut masks).is_none());
    let mut tokens = Vec::new();
    for_each_13a_token(&long, |a, b| tokens.push(&long[a..b]));
    assert_eq!(tokens.len(), 400);
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]

    #[test]
    fn regexp_post_equals_naive_scans(
        s in proptest::string::string_regex(
            "[ a-cA0-9.,\\-&;<>()'\"/:$%\u{a0}\u{1c}\u{85}é日\u{2000}\t\n]{0,40}"
        ).unwrap(),
        pad in proptest::bool::ANY,
    ) {
        let parts: Vec<&str> = if pad { vec![" ", &s, " "] } else { vec![&s] };
        let mut fast = String::from("stale");
        fast.clear();
        regexp_post(&parts, &mut fast);
        proptest::prop_assert_eq!(fast, regexp_post_naive(&parts));
    }

    #[test]
    fn for_each_py_word_equals_split_whitespace_py(
        s in proptest::collection::vec(
            proptest::sample::select(vec![
                'a', 'b', 'Z', '7', '.', ' ', '\t', '\n', '\u{b}', '\u{c}', '\r', '\u{1c}',
                '\u{1f}', '\u{7f}', '\u{85}', '\u{a0}', '\u{c2}', '\u{1680}', '\u{2000}',
                '\u{200b}', '\u{2014}', '\u{2028}', '\u{205f}', '\u{3000}', 'é', '日',
            ]),
            0..48,
        ),
    ) {
        let s: String = s.into_iter().collect();
        let mut spans = Vec::new();
        for_each_py_word(&s, |a, b| spans.push(&s[a..b]));
        proptest::prop_assert_eq!(spans, split_whitespace_py(&s).collect::<Vec<_>>());
        // The same strings, for the fast path of `rstrip_py`.
        proptest::prop_assert_eq!(rstrip_py(&s), s.trim_end_matches(is_python_whitespace));
    }

    #[test]
    fn skip_py_word_bytes_equals_table_scan(
        v in proptest::collection::vec(
            // Mostly printable ASCII (the SWAR path), plus the bytes around its edges and
            // the lead bytes of non-ASCII whitespace.
            proptest::sample::select(
                (0x21u8..=0x7e).chain([
                    0x00, 0x08, 0x09, 0x0d, 0x0e, 0x1b, 0x1c, 0x1f, 0x20, 0x7f, 0x80, 0xa0,
                    0xbf, 0xc2, 0xc3, 0xe1, 0xe2, 0xe3, 0xff,
                ]).collect::<Vec<u8>>(),
            ),
            0..40,
        ),
    ) {
        for i in 0..=v.len() {
            let mut j = i;
            while j < v.len() && PY_SPACE_CLASS[usize::from(v[j])] == BYTE_WORD {
                j += 1;
            }
            proptest::prop_assert_eq!(skip_py_word_bytes(&v, i), j, "{:?} from {}", v, i);
        }
    }

    #[test]
    fn skip_word_bytes_equals_table_scan(
        v in proptest::collection::vec(
            // Mostly letters and digits, so that 8-byte runs (the SWAR path) are common,
            // plus every byte at the edges of the ranges the SWAR test accepts.
            proptest::sample::select(
                (b'a'..=b'z').chain(b'A'..=b'Z').chain(b'0'..=b'9').chain([
                    b'`', b'{', b'@', b'[', b'/', b':', 0x0f, 0x10, 0x19, 0x1a, 0x1c, 0x1f,
                    0x2f, 0x3a, 0x40, 0x5b, 0x60, 0x7b, b'\'', b' ', b'.', b'-', 0x7f, 0x80,
                    0xbf, 0xc2, 0xc3, 0xe1, 0xe2, 0xe3, 0xfb, 0xff, 0x00, 0x09, 0x0d,
                ]).collect::<Vec<u8>>(),
            ),
            0..40,
        ),
    ) {
        for i in 0..=v.len() {
            let mut j = i;
            while j < v.len() && CLASS13[usize::from(v[j])] == class13::WORD {
                j += 1;
            }
            proptest::prop_assert_eq!(skip_word_bytes(&v, i), j, "{:?} from {}", v, i);
        }
    }

    #[test]
    fn fused_13a_equals_naive_scans(
        s in proptest::string::string_regex(
            "[ a-cA0-9.,\\-&;<>()'\"/:$%\u{a0}\u{1c}\u{85}\u{1680}\u{2000}\u{3000}\u{2013}é日\t\n]{0,40}"
        ).unwrap(),
    ) {
        // The oracle: the four byte-by-byte passes on " " + line + " ", split and joined.
        let clean = clean_13a(&s);
        let expected = regexp_post_naive(&[" ", &clean, " "]);
        proptest::prop_assert_eq!(t13a(&s), expected.clone());
        let mut spans = Vec::new();
        for_each_13a_token(&clean, |a, b| spans.push(clean[a..b].to_string()));
        proptest::prop_assert_eq!(spans.join(" "), expected);
    }

    #[test]
    fn mask_13a_equals_scanner_on_long_lines(
        // Up to ~5 blocks of 64 bytes: words, digits, every class the masks tell apart,
        // and multi-byte whitespace that may straddle a block boundary.
        parts in proptest::collection::vec(
            proptest::sample::select(vec![
                "a", "Zq", "word", "1", "42", "3.5", ".", ",", "-", " ", "  ", "\t", "\n",
                "'", "\"", "(", ")", "/", ":", "@", "[", "`", "{", "~", "&amp;", "<", "\u{7f}",
                "\u{1c}", "\u{85}", "\u{a0}", "\u{1680}", "\u{2000}", "\u{2028}",
                "\u{205f}", "\u{3000}", "\u{2013}", "\u{201c}", "\u{e1}", "é", "日", "\u{0}",
            ]),
            0..160,
        ),
    ) {
        let s: String = parts.concat();
        let clean = clean_13a(&s);
        let mut fast = Vec::new();
        for_each_13a_token(&clean, |a, b| fast.push((a, b)));
        let mut slow = Vec::new();
        for_each_13a_token_scalar(&clean, |a, b| slow.push((a, b)));
        proptest::prop_assert_eq!(&fast, &slow, "{:?}", clean);
        let joined: Vec<&str> = fast.iter().map(|&(a, b)| &clean[a..b]).collect();
        proptest::prop_assert_eq!(joined.join(" "), regexp_post_naive(&[" ", &clean, " "]));
    }

    #[test]
    fn fused_13a_equals_naive_scans_on_hyphens_and_digits(
        // Chunks of digits, letters and `-` (the hyphen-only path) next to `.` `,`.
        s in proptest::string::string_regex("[ a0-9\\-.,]{0,30}").unwrap(),
    ) {
        let expected = regexp_post_naive(&[" ", &s, " "]);
        let mut spans = Vec::new();
        for_each_13a_token(&s, |a, b| spans.push(s[a..b].to_string()));
        proptest::prop_assert_eq!(spans.join(" "), expected);
    }
}
