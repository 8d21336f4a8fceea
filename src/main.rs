//! The `mtharness` binary: parse, call the library, map errors to exit codes. Nothing else.

mod cli;

fn main() {
    let code = match cli::run(std::env::args()) {
        Ok(code) => code,
        // `mtharness ... | head`: the reader has what it wanted; end quietly, as `head`'s
        // other writers do.
        Err(e) if cli::is_broken_pipe(&e) => cli::exit::OK,
        Err(e) => {
            // Not `eprintln!`, which panics when standard error is closed.
            use std::io::Write;
            let _ = writeln!(std::io::stderr(), "mtharness: error: {e}");
            cli::exit::BAD_INPUT
        }
    };
    std::process::exit(code);
}
