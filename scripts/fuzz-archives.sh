#!/usr/bin/env bash
# Fuzzes the archive reader (Sources/TrainingDatasets/Archives) with libFuzzer and AddressSanitizer
# for a bounded time. Every input is inspected and, if accepted, extracted; a crash, a sanitizer
# report, a hang (over 10 s on one input) or a broken invariant leaves the input in
# Fuzz/.build/artifacts/ and makes this script fail.
#
# Usage: scripts/fuzz-archives.sh [seconds]     (default 60)
# Re-run one input: Fuzz/.build/debug/ArchiveInspectorFuzz Fuzz/.build/artifacts/crash-…
set -euo pipefail

seconds="${1:-60}"
fuzz="$(cd "$(dirname "$0")/../Fuzz" && pwd)"
cd "$fuzz"

# SwiftPM's --sanitize=fuzzer links libFuzzer's main in place of the target's. Its flags reach swiftc
# one sanitizer at a time, and the last -sanitize= wins, so "--sanitize=address" would silently drop
# the coverage instrumentation; both sanitizers therefore go in one -Xswiftc flag.
build=(swift build -c debug --sanitize=fuzzer -Xswiftc -sanitize=fuzzer,address --product ArchiveInspectorFuzz)
# gold warns once per ASan helper symbol; those lines are noise.
"${build[@]}" 2>&1 | { grep -v "Cannot export local symbol" || true; }
binary="$("${build[@]}" --show-bin-path)/ArchiveInspectorFuzz"

corpus="$fuzz/.build/corpus"
artifacts="$fuzz/.build/artifacts"
mkdir -p "$corpus" "$artifacts"
if command -v python3 >/dev/null 2>&1; then
    python3 "$fuzz/make_seeds.py" "$corpus"
fi

"$binary" "$corpus" \
    -dict="$fuzz/archives.dict" \
    -max_total_time="$seconds" \
    -timeout=10 \
    -max_len=65536 \
    -rss_limit_mb=4096 \
    -artifact_prefix="$artifacts/" \
    -print_final_stats=1
