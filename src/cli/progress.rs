//! Progress bars (indicatif) for the library's progress callbacks, and the reading spinner.

use mtharness::corpus::{self, LoadSpec};
use mtharness::progress::{Progress, ProgressHandle};
use mtharness::Result;

/// The CLI's [`Progress`]: one indicatif bar per stage on standard error, with items per
/// second. indicatif's stderr target draws nothing when standard error is not a terminal
/// (`ProgressDrawTarget::is_hidden` is `!term.is_term()`), so pipes and logs stay clean.
struct BarProgress {
    bar: std::sync::Mutex<Option<indicatif::ProgressBar>>,
}

/// Layout of a stage's bar: stage, bar, count, rate (`{rate}`, see [`stage_unit`]), time left.
const BAR_TEMPLATE: &str = "{msg:>16} [{bar:32}] {human_pos}/{human_len} {rate} eta {eta}";

/// What one unit of a library progress stage is, for the rate shown beside the bar.
fn stage_unit(stage: &str) -> &'static str {
    match stage.split(' ').next() {
        Some("scoring") => "segments",
        Some("aligning") => "documents",
        Some("resampling") => "tests",
        Some("rules") => "rules",
        _ => "items",
    }
}

impl Progress for BarProgress {
    fn start(&self, stage: &str, total: u64) {
        let bar = indicatif::ProgressBar::with_draw_target(
            Some(total),
            indicatif::ProgressDrawTarget::stderr(),
        );
        let unit = stage_unit(stage);
        if let Ok(style) = indicatif::ProgressStyle::with_template(BAR_TEMPLATE) {
            let style = style.progress_chars("=> ").with_key(
                "rate",
                move |st: &indicatif::ProgressState, w: &mut dyn std::fmt::Write| {
                    let _ = write!(w, "{:.0} {unit}/s", st.per_sec());
                },
            );
            bar.set_style(style);
        }
        bar.set_message(stage.to_string());
        if let Ok(mut b) = self.bar.lock() {
            if let Some(old) = b.replace(bar) {
                old.finish_and_clear();
            }
        }
    }

    fn inc(&self, n: u64) {
        // Called once per chunk of work (see `progress::PROGRESS_CHUNK`), not per segment.
        if let Ok(b) = self.bar.lock() {
            if let Some(bar) = b.as_ref() {
                bar.inc(n);
            }
        }
    }

    fn finish(&self) {
        if let Ok(mut b) = self.bar.lock() {
            if let Some(bar) = b.take() {
                bar.finish_and_clear();
            }
        }
    }
}

/// A progress handle for a command: bars on standard error unless `quiet` (and drawn only when
/// standard error is a terminal).
pub(super) fn progress_for(quiet: bool) -> ProgressHandle {
    if quiet {
        ProgressHandle::none()
    } else {
        ProgressHandle::new(std::sync::Arc::new(BarProgress {
            bar: std::sync::Mutex::new(None),
        }))
    }
}

/// Loads a corpus with a `reading` spinner on `progress` (file sizes are not known upfront).
pub(super) fn load_corpus(spec: &LoadSpec, quiet: bool) -> Result<mtharness::corpus::Corpus> {
    if quiet {
        return corpus::load(spec);
    }
    let spinner =
        indicatif::ProgressBar::with_draw_target(None, indicatif::ProgressDrawTarget::stderr());
    if let Ok(style) = indicatif::ProgressStyle::with_template(SPINNER_TEMPLATE) {
        spinner.set_style(style);
    }
    spinner.set_message("reading");
    spinner.enable_steady_tick(std::time::Duration::from_millis(SPINNER_TICK_MS));
    let corpus = corpus::load(spec);
    spinner.finish_and_clear();
    corpus
}

/// Spinner refresh period while reading (indicatif's examples use 80-120 ms).
const SPINNER_TICK_MS: u64 = 100;
/// Layout of the reading spinner (aligned with the stage names of [`BAR_TEMPLATE`]).
const SPINNER_TEMPLATE: &str = "{msg:>16} {spinner} {elapsed}";
