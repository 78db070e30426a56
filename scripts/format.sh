#!/usr/bin/env bash
# Formats the hand-written Swift code with the toolchain's swift-format and the team settings in
# .swift-format (4 spaces, lines up to 160 columns, existing line breaks respected). Generated code
# (Sources/*Proto) is left as the generator wrote it.
#
# Usage: scripts/format.sh          format in place
#        scripts/format.sh --check  fail, listing each difference, if any file is not formatted
set -euo pipefail
cd "$(dirname "$0")/.."

files=()
while IFS= read -r -d '' file; do files+=("$file"); done < <(
  find Sources Tests Examples scripts/protoc-tools Package.swift -name '*.swift' -not -path '*Proto/*' -not -path '*/.build*' -print0 2>/dev/null | sort -z
)
if [[ "${1:-}" == "--check" ]]; then
  swift format lint --strict --configuration .swift-format --parallel "${files[@]}"
else
  swift format format --in-place --configuration .swift-format --parallel "${files[@]}"
fi
