#!/usr/bin/env bash
# The public API of every library product, one declaration a line, in api/<module>.txt: what a
# package depending on this one can call. A change to it is a decision, made visible in review.
#
# Reads the symbol graphs of the modules built by `swift build` (debug), with what SNETTraining
# re-exports (Sources/SNETTraining/Exports.swift) counted as its own.
#
# Usage: scripts/api-surface.sh          rewrite api/*.txt
#        scripts/api-surface.sh --check  fail, showing the difference, if the API is not what api/ says
set -euo pipefail
cd "$(dirname "$0")/.."
check=false
[[ "${1:-}" == "--check" ]] && check=true

# Each library product's module (Package.swift's products).
products=(SNETTraining TrainingClient TrainingProto TrainingRegistry TrainingJobs)

bin="$(swift build --show-bin-path)"
for product in "${products[@]}"; do
  [[ -f "$bin/Modules/$product.swiftmodule" ]] || { echo "error: $product is not built: run swift build first" >&2; exit 1; }
done
# The clang modules the Swift modules import, as SwiftPM passes them to the compiler.
clang_modules=()
for map in $(ls "$bin"/*.build/module.modulemap | grep -v -- '-tool.build/') \
  $(ls .build/checkouts/*/Sources/*/include/module.modulemap .build/checkouts/*/Sources/*/module.modulemap Sources/*/include/module.modulemap 2>/dev/null); do
  clang_modules+=(-Xcc "-fmodule-map-file=$(realpath "$map")")
done
own_modules="$(ls Sources | paste -sd, -)"

graphs="$(mktemp -d)"
out="$(mktemp -d)"
trap 'rm -rf "$graphs" "$out"' EXIT
for product in "${products[@]}"; do
  mkdir -p "$graphs/$product"
  swift-symbolgraph-extract -module-name "$product" -target "$(uname -m)-unknown-linux-gnu" -I "$bin/Modules" \
    "${clang_modules[@]}" -minimum-access-level public -skip-synthesized-members \
    -experimental-allowed-reexported-modules="$own_modules" -output-dir "$graphs/$product" 2>/dev/null
  python3 - "$graphs/$product" > "$out/$product.txt" <<'PY'
import glob, json, sys
lines = set()
for path in glob.glob(sys.argv[1] + "/*.symbols.json"):
    for symbol in json.load(open(path))["symbols"]:
        declaration = "".join(f["spelling"] for f in symbol.get("declarationFragments", []))
        lines.add(f'{".".join(symbol["pathComponents"])}: {" ".join(declaration.split())}')
print("\n".join(sorted(lines)))
PY
done

if $check; then
  diff -ru api "$out" >&2 || { echo "error: the public API changed: if that is intended, run scripts/api-surface.sh and commit api/" >&2; exit 1; }
  echo "public API as in api/: $(cat "$out"/*.txt | wc -l) declarations ($(wc -l < "$out/SNETTraining.txt") in SNETTraining)"
else
  rm -f api/*.txt
  cp "$out"/*.txt api/
  wc -l api/*.txt
fi
