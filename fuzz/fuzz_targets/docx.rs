//! Fuzz target: the docx reader must never panic, loop or allocate without bound on any input.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| jixiao_fuzz::read_as("f.docx", data));
