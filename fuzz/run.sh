#!/usr/bin/env bash
# Runs every reader's fuzz target for a fixed time (default 60 s each), seeded from the fixtures.
# A crash is copied into tests/fixtures/hostile/ so that `cargo test` keeps checking it.
#   fuzz/run.sh [SECONDS] [TARGET...]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
seconds=${1:-60}
shift || true
targets=("$@")
if ((${#targets[@]} == 0)); then
    targets=(docx pdf html workbook text)
fi
command -v cargo-fuzz >/dev/null 2>&1 || cargo install cargo-fuzz --locked
export RUSTC_BOOTSTRAP=1
fixtures=../tests/fixtures
status=0
for t in "${targets[@]}"; do
    corpus=corpus/$t
    mkdir -p "$corpus" artifacts/$t
    case $t in
        docx) seeds=("$fixtures"/formats/*.docx "$fixtures"/hostile/*.docx) ;;
        pdf) seeds=("$fixtures"/formats/*.pdf "$fixtures"/hostile/*.pdf) ;;
        html) seeds=("$fixtures"/formats/*.html "$fixtures"/hostile/*.html) ;;
        workbook) seeds=("$fixtures"/formats/*.xlsx "$fixtures"/hostile/*.xlsx) ;;
        text) seeds=(../samples/003-*.txt "$fixtures"/malformed/*) ;;
    esac
    for s in "${seeds[@]}"; do [[ -f $s ]] && cp -n "$s" "$corpus/" || true; done
    echo "fuzz: $t for ${seconds}s" >&2
    if ! cargo fuzz run "$t" "$corpus" -- -max_total_time="$seconds" -rss_limit_mb=2048 \
        -timeout=20 -artifact_prefix="artifacts/$t/"; then
        status=1
        for crash in artifacts/$t/*; do
            [[ -f $crash ]] || continue
            ext=$t; [[ $t == workbook ]] && ext=xlsx; [[ $t == text ]] && ext=txt
            cp "$crash" "$fixtures/hostile/fuzz-$t-$(basename "$crash").$ext"
            echo "fuzz: $t crashed; kept as tests/fixtures/hostile/fuzz-$t-$(basename "$crash").$ext" >&2
        done
    fi
done
exit $status
