//! The `mtharness` binary: parse, call the library, map errors to exit codes. Nothing else.

mod cli;

fn main() {
    let code = match cli::run(std::env::args()) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("mtharness: error: {e}");
            cli::exit::BAD_INPUT
        }
    };
    std::process::exit(code);
}
