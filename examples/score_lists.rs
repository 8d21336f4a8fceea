//! Scores two lists of lines with the library: `cargo run --example score_lists`.

fn main() -> mtharness::Result<()> {
    let hyps = vec![
        "The cat sat on the mat.".to_string(),
        "It rains.".to_string(),
    ];
    let refs = vec![
        "The cat sat on a mat.".to_string(),
        "It is raining.".to_string(),
    ];
    let metrics = [
        mtharness::Metric::bleu(),
        mtharness::Metric::chrf(),
        mtharness::Metric::Wer,
    ];
    for (name, score) in mtharness::score(&hyps, &[&refs], &metrics)? {
        println!("{name} = {score:.2}");
    }
    Ok(())
}
