//! Fuzz target: the PDF reader must never panic past its own guard, loop or allocate without
//! bound on any input. pdf-extract panics on many broken files; the reader catches those per page
//! (that is its design), so they are silenced here and only panics that escape the reader — and
//! aborts such as a stack overflow — count as crashes.
#![no_main]

static QUIET: std::sync::Once = std::sync::Once::new();

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    QUIET.call_once(|| std::panic::set_hook(Box::new(|_| {})));
    jixiao_fuzz::read_as("f.pdf", data);
});
