#!/usr/bin/env bash
# Builds SNETTraining's DocC documentation (Sources/SNETTraining/SNETTraining.docc and the `///`
# comments), with the declarations it re-exports documented as its own, into .build/docs/SNETTraining.doccarchive.
#
# Reads the symbol graph of the debug build (run swift build first), as scripts/api-surface.sh does.
# Usage: scripts/generate-docs.sh [output-dir]
set -euo pipefail
cd "$(dirname "$0")/.."
output="${1:-.build/docs}"
bin="$(swift build --show-bin-path)"
[[ -f "$bin/Modules/SNETTraining.swiftmodule" ]] || { echo "error: SNETTraining is not built: run swift build first" >&2; exit 1; }
clang_modules=()
for map in $(ls "$bin"/*.build/module.modulemap | grep -v -- '-tool.build/') \
  $(ls .build/checkouts/*/Sources/*/include/module.modulemap Sources/*/include/module.modulemap 2>/dev/null); do
  clang_modules+=(-Xcc "-fmodule-map-file=$(realpath "$map")")
done
graphs="$(mktemp -d)"
trap 'rm -rf "$graphs"' EXIT
swift-symbolgraph-extract -module-name SNETTraining -target "$(uname -m)-unknown-linux-gnu" -I "$bin/Modules" \
  "${clang_modules[@]}" -minimum-access-level public -skip-synthesized-members \
  -experimental-allowed-reexported-modules="$(ls Sources | paste -sd, -)" -output-dir "$graphs" 2>/dev/null
mkdir -p "$output"
docc convert Sources/SNETTraining/SNETTraining.docc --additional-symbol-graph-dir "$graphs" \
  --fallback-display-name SNETTraining --fallback-bundle-identifier snet-training.SNETTraining \
  --output-path "$output/SNETTraining.doccarchive" --warnings-as-errors
echo "documentation: $output/SNETTraining.doccarchive (docc preview, or serve it as a static site)"
