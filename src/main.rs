//! The `mtharness` binary: parse, call the library, map errors to exit codes. Nothing else.

fn main() {
    let code = match mtharness::cli::run(std::env::args()) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("mtharness: error: {e}");
            mtharness::cli::exit::BAD_INPUT
        }
    };
    std::process::exit(code);
}
