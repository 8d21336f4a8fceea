//! Corpus readers: each format fills the one model, and every error names the file, the line
//! (and column or field where it applies) and what was expected.

mod common;

use std::path::{Path, PathBuf};

use mtharness::corpus::{
    load, read_folder, read_jsonl, read_line_aligned, read_tsv, read_wmt_xml, Format,
    LineAlignedOptions, LoadSpec, WmtOptions,
};
use mtharness::Corpus;

fn write(dir: &Path, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
    let p = dir.join(name);
    if let Some(parent) = p.parent() {
        std::fs::create_dir_all(parent).unwrap();
    }
    std::fs::write(&p, bytes).unwrap();
    p
}

fn err<T: std::fmt::Debug>(r: mtharness::Result<T>) -> String {
    r.expect_err("expected an error").to_string()
}

#[test]
fn invalid_utf8_names_file_and_line() {
    let d = tempfile::tempdir().unwrap();
    let r = write(d.path(), "ref.A.en", "a\nb\nc\n");
    let h = write(d.path(), "hyp.S.en", b"a\nb\nok \xFF bad\n");
    let e = err(read_line_aligned(
        &[r],
        &[h],
        &LineAlignedOptions::default(),
    ));
    assert!(e.contains("hyp.S.en:3:4:"), "{e}");
    assert!(e.contains("invalid UTF-8"), "{e}");
}

#[test]
fn differing_line_counts_name_both_files_and_counts() {
    let d = tempfile::tempdir().unwrap();
    let r = write(d.path(), "ref.A.en", "a\nb\nc\n");
    let h1 = write(d.path(), "hyp.S.en", "a\nb\nc\n");
    let h2 = write(d.path(), "hyp.T.en", "a\nb\n");
    let e = err(read_line_aligned(
        &[r],
        &[h1, h2],
        &LineAlignedOptions::default(),
    ));
    assert!(e.contains("hyp.T.en has 2 lines"), "{e}");
    assert!(e.contains("ref.A.en has 3"), "{e}");
}

#[test]
fn empty_file_is_an_error_naming_it() {
    let d = tempfile::tempdir().unwrap();
    let r = write(d.path(), "ref.A.en", "a\n");
    let h = write(d.path(), "hyp.S.en", "");
    let e = err(read_line_aligned(
        &[r],
        &[h],
        &LineAlignedOptions::default(),
    ));
    assert!(e.contains("hyp.S.en: file is empty"), "{e}");
}

#[test]
fn crlf_line_ends_and_bom_are_accepted() {
    let d = tempfile::tempdir().unwrap();
    let r = write(
        d.path(),
        "ref.A.en",
        "\u{FEFF}first line\r\nsecond  \r\nthird",
    );
    let h = write(d.path(), "sys1.txt", "\u{FEFF}one\r\ntwo\r\nthree\r\n");
    let c = read_line_aligned(&[r], &[h], &LineAlignedOptions::default()).unwrap();
    assert_eq!(c.ref_names, ["A"]);
    assert_eq!(c.system_names, ["sys1"]);
    let doc = &c.documents[0];
    // Only the line end goes: trailing spaces stay (the metrics rstrip as sacreBLEU does).
    assert_eq!(doc.refs, [["first line", "second  ", "third"]]);
    assert_eq!(doc.hyps, [["one", "two", "three"]]);
    assert_eq!(doc.lines, [1, 2, 3]);
}

#[test]
fn docids_group_consecutive_lines_into_documents() {
    let d = tempfile::tempdir().unwrap();
    let sub = d.path().join("mycorpus");
    let r = vec![write(&sub, "ref.A.en", "r1\nr2\nr3\nr4\nr5\n")];
    let h = vec![write(&sub, "hyp.S.en", "h1\nh2\nh3\nh4\nh5\n")];
    let s = write(&sub, "src.de", "s1\ns2\ns3\ns4\ns5\n");
    let ids = write(&sub, "docids", "d1\nd1\nd2\nd3\nd3\n");
    let opts = LineAlignedOptions {
        docids: Some(ids.clone()),
        source: Some(s),
        name: None,
    };
    let c = read_line_aligned(&r, &h, &opts).unwrap();
    assert_eq!(c.name, "mycorpus");
    let got: Vec<(&str, Vec<String>, Vec<usize>)> = c
        .documents
        .iter()
        .map(|d| (d.id.as_str(), d.hyps[0].clone(), d.lines.clone()))
        .collect();
    assert_eq!(
        got,
        [
            ("d1", vec!["h1".to_string(), "h2".to_string()], vec![1, 2]),
            ("d2", vec!["h3".to_string()], vec![3]),
            ("d3", vec!["h4".to_string(), "h5".to_string()], vec![4, 5]),
        ]
    );
    assert_eq!(c.documents[2].source.as_deref().unwrap(), ["s4", "s5"]);
    assert_eq!(c.documents[2].refs, [["r4", "r5"]]);

    // Without docids: one document named after the corpus.
    let c = read_line_aligned(&r, &h, &LineAlignedOptions::default()).unwrap();
    assert_eq!(c.documents.len(), 1);
    assert_eq!(c.documents[0].id, "mycorpus");

    // A document that comes back after another one is an error with its line.
    write(&sub, "docids", "d1\nd2\nd1\nd3\nd3\n");
    let opts = LineAlignedOptions {
        docids: Some(ids),
        ..LineAlignedOptions::default()
    };
    let e = err(read_line_aligned(&r, &h, &opts));
    assert!(e.contains("docids:3"), "{e}");
    assert!(e.contains("document d1 started at line 1"), "{e}");
}

#[test]
fn folder_document_on_one_side_only_is_named() {
    let d = tempfile::tempdir().unwrap();
    let root = d.path().join("news");
    write(&root, "ref/doc1.txt", "a\n");
    write(&root, "ref/doc2.txt", "b\n");
    write(&root, "mt/sysA/doc1.txt", "a\n");
    write(&root, "mt/sysA/doc2.txt", "b\n");
    write(&root, "mt/sysB/doc1.txt", "a\n");
    let e = err(read_folder(&root));
    assert!(e.contains("document doc2"), "{e}");
    assert!(e.contains("not in mt/sysB"), "{e}");
    assert!(
        e.contains(&format!("{}", Path::new("mt/sysB/doc2.txt").display())),
        "{e}"
    );

    // Present in a system but not in the references.
    write(&root, "mt/sysB/doc2.txt", "b\n");
    write(&root, "mt/sysB/doc3.txt", "c\n");
    let e = err(read_folder(&root));
    assert!(e.contains("document doc3 is in mt/sysB"), "{e}");
    assert!(e.contains("but not in ref"), "{e}");
}

#[test]
fn folder_with_two_references() {
    let d = tempfile::tempdir().unwrap();
    let root = d.path().join("set");
    write(&root, "ref/A/b.txt", "B one.\n\nB two.\n");
    write(&root, "ref/B/b.txt", "b one\nb two\n");
    write(&root, "ref/A/a.txt", "\nA one.\n  \nA two.\nA three.\n");
    write(&root, "ref/B/a.txt", "a one\na two\na three\n");
    // Systems may have a different number of segments than the references.
    write(&root, "mt/s2/a.txt", "x\n");
    write(&root, "mt/s2/b.txt", "y1\ny2\n");
    write(&root, "mt/s1/a.txt", "p1\np2\np3\np4\n");
    write(&root, "mt/s1/b.txt", "q\n");
    write(&root, "src/a.txt", "S1\nS2\nS3\n");
    write(&root, "src/b.txt", "T1\nT2\n");
    write(&root, "mt/.DS_Store", "ignored");
    let c = read_folder(&root).unwrap();
    assert_eq!(c.name, "set");
    assert_eq!(c.ref_names, ["A", "B"]);
    assert_eq!(c.system_names, ["s1", "s2"]);
    let ids: Vec<&str> = c.documents.iter().map(|d| d.id.as_str()).collect();
    assert_eq!(ids, ["a", "b"]);
    let a = &c.documents[0];
    assert_eq!(
        a.refs,
        [
            vec!["A one.", "A two.", "A three."],
            vec!["a one", "a two", "a three"]
        ]
    );
    assert_eq!(a.lines, [2, 4, 5]);
    assert_eq!(a.hyps[0], ["p1", "p2", "p3", "p4"]);
    assert_eq!(a.hyps[1], ["x"]);
    assert_eq!(a.source.as_deref().unwrap(), ["S1", "S2", "S3"]);
    assert_eq!(c.documents[1].lines, [1, 3]);
    assert!(!c.is_line_aligned());

    // References of one document with different segment counts are an error.
    write(&root, "ref/B/b.txt", "b one\n");
    let e = err(read_folder(&root));
    assert!(e.contains("document b:"), "{e}");
    assert!(e.contains("has 1 segments but"), "{e}");
}

#[test]
fn malformed_xml_error_has_line_and_column() {
    let d = tempfile::tempdir().unwrap();
    let p = write(
        d.path(),
        "bad.xml",
        "<dataset>\n  <collection id=\"general\">\n    <doc id=\"d\">\n      <src><p><seg id=\"1\">x</sg></p></src>\n",
    );
    let e = err(read_wmt_xml(&p, &WmtOptions::default()));
    // `</sg>` does not close `<seg>`: column 28 is where the close tag starts.
    assert!(e.contains("bad.xml:4:28:"), "{e}");
    assert!(
        e.contains("malformed XML: expected 'seg' tag, not 'sg'"),
        "{e}"
    );
}

#[test]
fn malformed_tsv_row_names_line_and_field_count() {
    let d = tempfile::tempdir().unwrap();
    let p = write(
        d.path(),
        "t.tsv",
        "doc\tsystem\thyp\tref\nd1\tS\thello\tHello\nd1\tS\tonly three\n",
    );
    let e = err(read_tsv(&p));
    assert!(e.contains("t.tsv:3:4:"), "{e}");
    assert!(
        e.contains("found 3 tab-separated fields; expected 4"),
        "{e}"
    );
}

#[test]
fn invalid_jsonl_names_line_and_column() {
    let d = tempfile::tempdir().unwrap();
    let p = write(
        d.path(),
        "t.jsonl",
        "{\"system\": \"S\", \"hyp\": \"a\", \"ref\": \"b\"}\n\n{\"system\": \"S\", \"hyp\": \"a\" \"ref\": \"c\"}\n",
    );
    let e = err(read_jsonl(&p));
    // Column 28: the `"` of `"ref"` where a `,` was expected.
    assert!(e.contains("t.jsonl:3:28:"), "{e}");
    assert!(e.contains("invalid JSON: expected `,` or `}`"), "{e}");
}

#[test]
fn tsv_and_jsonl_fill_the_same_corpus() {
    let d = tempfile::tempdir().unwrap();
    let tsv = write(
        d.path(),
        "t.tsv",
        "doc\tseg\tsystem\thyp\tref:B\tref:A\tsrc\tdomain\n\
         d1\t1\tX\tx1\tb1\ta1\ts1\tnews\n\
         d1\t1\tY\ty1\tb1\ta1\ts1\tnews\n\
         d1\t2\tY\ty2 \"q\"\tb2\ta2\ts2\tnews\n\
         d1\t2\tX\t\tb2\ta2\ts2\tnews\n\
         \n\
         d0\t7\tX\tx3\tb3\ta3\ts3\tnews\n\
         d0\t7\tY\ty3\tb3\ta3\ts3\tnews\n",
    );
    let jsonl = write(
        d.path(),
        "t.jsonl",
        r#"{"doc": "d1", "seg": 1, "system": "X", "hyp": "x1", "ref:A": "a1", "ref:B": "b1", "src": "s1"}
{"doc": "d1", "seg": 1, "system": "Y", "hyp": "y1", "ref:A": "a1", "ref:B": "b1", "src": "s1"}
{"doc": "d1", "seg": "2", "system": "Y", "hyp": "y2 \"q\"", "ref:A": "a2", "ref:B": "b2", "src": "s2"}
{"doc": "d1", "seg": 2, "system": "X", "hyp": "", "ref:A": "a2", "ref:B": "b2", "src": "s2", "extra": 1}
{"doc": "d0", "seg": 7, "system": "X", "hyp": "x3", "ref:A": "a3", "ref:B": "b3", "src": "s3"}
{"doc": "d0", "seg": 7, "system": "Y", "hyp": "y3", "ref:A": "a3", "ref:B": "b3", "src": "s3"}
"#,
    );
    let t = read_tsv(&tsv).unwrap();
    let j = read_jsonl(&jsonl).unwrap();
    let strip = |c: &Corpus| {
        let mut c = c.clone();
        for d in &mut c.documents {
            d.lines.clear();
        }
        c
    };
    assert_eq!(strip(&t), strip(&j));
    assert_eq!(t.ref_names, ["A", "B"]);
    assert_eq!(t.system_names, ["X", "Y"]);
    let d1 = &t.documents[0];
    assert_eq!(d1.id, "d1");
    assert_eq!(d1.refs, [["a1", "a2"], ["b1", "b2"]]);
    assert_eq!(d1.hyps, [["x1", ""], ["y1", "y2 \"q\""]]);
    assert_eq!(d1.source.as_deref().unwrap(), ["s1", "s2"]);
    assert_eq!(d1.lines, [2, 4]);
    assert_eq!(t.documents[1].lines, [7]);
    assert!(t.is_line_aligned());

    // Rows of one segment must carry the same references.
    let bad = write(
        d.path(),
        "bad.tsv",
        "seg\tsystem\thyp\tref\n1\tX\tx\tr\n1\tY\ty\tR\n",
    );
    let e = err(read_tsv(&bad));
    assert!(e.contains("bad.tsv:3"), "{e}");
    assert!(e.contains("references differ from those on line 2"), "{e}");
    // Every system needs every segment.
    let bad = write(
        d.path(),
        "bad2.jsonl",
        "{\"seg\": 1, \"system\": \"X\", \"hyp\": \"x\", \"ref\": \"r\"}\n\
         {\"seg\": 2, \"system\": \"X\", \"hyp\": \"x\", \"ref\": \"r\"}\n\
         {\"seg\": 1, \"system\": \"Y\", \"hyp\": \"y\", \"ref\": \"r\"}\n",
    );
    let e = err(read_jsonl(&bad));
    assert!(e.contains("bad2.jsonl:2"), "{e}");
    assert!(e.contains("segment 2 has no row for system Y"), "{e}");
}

#[test]
fn load_detects_the_format_and_selects_systems() {
    let d = tempfile::tempdir().unwrap();
    let tsv = write(
        d.path(),
        "t.TSV",
        "system\thyp\tref\nX\tx\tr\nY\ty\tr\nZ\tz\tr\n",
    );
    let spec = LoadSpec {
        input: Some(tsv.clone()),
        systems: Some(vec!["Z".into(), "X".into()]),
        ..LoadSpec::default()
    };
    assert_eq!(
        mtharness::corpus::detect_format(&spec).unwrap(),
        Format::Tsv
    );
    let c = load(&spec).unwrap();
    assert_eq!(c.system_names, ["Z", "X"]);
    assert_eq!(c.documents[0].hyps, [["z"], ["x"]]);
    assert_eq!(c.documents[0].id, "t");
    let e = err(load(&LoadSpec {
        input: Some(tsv),
        systems: Some(vec!["W".into()]),
        ..LoadSpec::default()
    }));
    assert!(e.contains("no system \"W\"; it has: X, Y, Z"), "{e}");

    let r = write(d.path(), "ref.A.en", "a\n");
    let h = write(d.path(), "hyp.S.en", "b\n");
    let c = load(&LoadSpec {
        refs: vec![r],
        hyps: vec![h],
        name: Some("mine".into()),
        ..LoadSpec::default()
    })
    .unwrap();
    assert_eq!(
        (c.name.as_str(), c.system_names.as_slice()),
        ("mine", &["S".to_string()][..])
    );
}

/// The WMT XML test set, general collection, gives exactly the text files that were extracted
/// from it: references, every system, source and document ids.
#[test]
fn wmt_xml_matches_the_extracted_text_files() {
    let Some(shared) = common::shared_dir() else {
        return;
    };
    let dir = shared.join("corpora/wmt22-ru-en");
    let set = common::load_set(&shared, "wmt22-ru-en");
    let xml = load(&LoadSpec {
        input: Some(dir.join("wmttest2022.ru-en.all.xml")),
        ..LoadSpec::default()
    })
    .unwrap();
    assert_eq!(xml.ref_names, ["A"]);
    // Five of the file's ten systems were extracted to text.
    assert_eq!(xml.system_names.len(), 10);
    assert_eq!(xml.documents.len(), 227);
    assert_eq!(xml.num_segments(), 2016);
    assert!(xml.is_line_aligned());

    let (ref_name, ref_lines) = &set.refs[0];
    assert_eq!(ref_name, "A");
    let xml_refs: Vec<&String> = xml.documents.iter().flat_map(|d| &d.refs[0]).collect();
    assert_eq!(xml_refs.len(), ref_lines.len());
    assert!(xml_refs.iter().zip(ref_lines).all(|(a, b)| *a == b));

    for (system, lines) in &set.systems {
        let s = xml
            .system_names
            .iter()
            .position(|n| n == system)
            .unwrap_or_else(|| panic!("system {system} not in the XML"));
        let got: Vec<&String> = xml.documents.iter().flat_map(|d| &d.hyps[s]).collect();
        assert_eq!(got.len(), lines.len(), "{system}");
        for (i, (a, b)) in got.iter().zip(lines).enumerate() {
            assert_eq!(*a, b, "{system} line {}", i + 1);
        }
    }

    let docids = common::read_lines(&dir.join("docids"));
    let xml_ids: Vec<&str> = xml
        .documents
        .iter()
        .flat_map(|d| std::iter::repeat_n(d.id.as_str(), d.num_segments()))
        .collect();
    assert_eq!(xml_ids, docids);
    let src = common::read_lines(&dir.join("src.ru"));
    let xml_src: Vec<&String> = xml
        .documents
        .iter()
        .flat_map(|d| d.source.as_deref().unwrap_or_default())
        .collect();
    assert!(xml_src.len() == src.len() && xml_src.iter().zip(&src).all(|(a, b)| *a == b));

    // The same through the line-aligned reader with docids: the same corpus, document by
    // document (XML `lines` hold segment ids, text `lines` file lines: compare the rest).
    let hyps: Vec<PathBuf> = set
        .systems
        .iter()
        .map(|(s, _)| dir.join(format!("hyp.{s}.en")))
        .collect();
    let text = read_line_aligned(
        &[dir.join("ref.A.en")],
        &hyps,
        &LineAlignedOptions {
            docids: Some(dir.join("docids")),
            source: Some(dir.join("src.ru")),
            name: None,
        },
    )
    .unwrap();
    let names: Vec<String> = set.systems.iter().map(|(s, _)| s.clone()).collect();
    let xml5 = read_wmt_xml(
        &dir.join("wmttest2022.ru-en.all.xml"),
        &WmtOptions {
            collection: Some("general".into()),
            systems: Some(names.clone()),
        },
    )
    .unwrap();
    assert_eq!(xml5.system_names, names);
    assert_eq!(text.system_names, names);
    assert_eq!(text.documents.len(), xml5.documents.len());
    for (t, x) in text.documents.iter().zip(&xml5.documents) {
        assert_eq!(
            (&t.id, &t.refs, &t.hyps, &t.source),
            (&x.id, &x.refs, &x.hyps, &x.source)
        );
    }

    // Unknown collection: an error listing those present.
    let e = err(read_wmt_xml(
        &dir.join("wmttest2022.ru-en.all.xml"),
        &WmtOptions {
            collection: Some("news".into()),
            systems: None,
        },
    ));
    assert!(
        e.contains(
            "no collection \"news\"; the file has collections: general, biomedical-ref, biomedical"
        ),
        "{e}"
    );
}
