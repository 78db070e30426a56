#!/usr/bin/env bash
# Builds what providers build against this package, with this package resolved by version as in a
# provider's package (SwiftPM refuses unsafe flags there, and more, that it accepts in a root package):
#
#   1. a package that uses every library product, built and run;
#   2. the template provider, as Examples/swift-provider/README.md's "From a copy to a trained model"
#      says: its shell blocks pasted as they are, the Package.swift edit of step 1 applied, and the
#      walkthrough ends with a trained model answering classify as the block's "# label: …" line says.
#
# The dependency is a clone of the committed HEAD, tagged 1.0.0, in ./snet-training of a temporary
# folder, reached by a file:// URL. The README's steps run in that folder; what they get that the
# README does not say: that URL for "<snet-training git URL>", a free port for 5002 (with
# SNET_TRAIN_ENDPOINT to match), and --scratch-path on every swift command.
#
# Usage: scripts/check-dependents.sh [scratch-path]   (default: a temporary one; pass the root's
#        .build to reuse the modules it has built: both packages then compile only this package's
#        modules, from the tagged clone, and their own)
# SWIFT_BUILD_OPTIONS: more options for the swift commands (e.g. --ignore-lock).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
scratch="$(realpath -m "${1:-$work/.build}")"
swift_options=(--scratch-path "$scratch" ${SWIFT_BUILD_OPTIONS:-})

git clone -q "$root" "$work/snet-training"
git -C "$work/snet-training" -c user.name=ci -c user.email=ci@localhost tag 1.0.0
url="file://$work/snet-training"

# 1. Every library product.
started=$SECONDS
products="$(sed -n 's/^ *\.library(name: "\([A-Za-z]*\)".*/\1/p' "$root/Package.swift")"
mkdir -p "$work/dependent/Sources/dependent"
cat > "$work/dependent/Package.swift" <<SWIFT
// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "dependent",
    dependencies: [.package(url: "$url", from: "1.0.0")],
    targets: [
        .executableTarget(
            name: "dependent",
            dependencies: [
$(for product in $products; do echo "                .product(name: \"$product\", package: \"snet-training\"),"; done)
            ]
        )
    ]
)
SWIFT
{
  for product in $products; do echo "import $product"; done
  echo 'print(TrainingServerConfiguration.defaults.port)'
} > "$work/dependent/Sources/dependent/main.swift"
echo "products: $(echo $products)"
swift build --package-path "$work/dependent" "${swift_options[@]}"
"$(swift build --package-path "$work/dependent" "${swift_options[@]}" --show-bin-path)/dependent"
echo "every product by version: $((SECONDS - started)) s"

# 2. The template's README steps, from the README as committed.
started=$SECONDS
port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
python3 - "$work/snet-training/Examples/swift-provider/README.md" "$url" "$port" "$work" <<'PY'
import re, sys, textwrap
readme, url, port, work = sys.argv[1:]
text = open(readme, encoding="utf-8").read()
heading = "## From a copy to a trained model"
section = text[text.index(heading):]
section = section[: section.find("\n## ", 1) if "\n## " in section[1:] else len(section)]
blocks = re.findall(r"^( *)```(\w+)\n(.*?)^\1```$", section, flags=re.M | re.S)
script, expected = [], []
for _, language, body in blocks:
    body = textwrap.dedent(body)
    if language == "sh":
        if "--port 5002" in body:
            body = body.replace("--port 5002", f"--port {port}")
        expected += re.findall(r"^# (label: .*)$", body, flags=re.M)
        script.append(body)
    elif language == "swift":
        edit = body.replace("<snet-training git URL>", url)
        if edit == body:
            sys.exit("error: step 1's Package.swift lines have no <snet-training git URL> to fill in")
        open(f"{work}/package-edit.swift", "w").write(edit)
        script.append(f'"$APPLY_PACKAGE_EDIT" Package.swift "{work}/package-edit.swift"\n')
if not any("--port " + port in part for part in script):
    sys.exit("error: the steps start no server with --port 5002")
if len(expected) != 1:
    sys.exit("error: the steps should end with one '# label: …' line saying what classify answers")
open(f"{work}/steps.sh", "w").write("".join(script))
open(f"{work}/expected", "w").write(expected[0])
PY

# Step 1's edit: the lines that define snetTraining and snetTrainingPackage become the README's.
cat > "$work/apply-package-edit" <<'SH'
#!/usr/bin/env bash
set -euo pipefail
grep -q '^let snetTraining = ' "$1" && grep -q '^let snetTrainingPackage = ' "$1" \
  || { echo "error: $1 defines no snetTraining and snetTrainingPackage to replace" >&2; exit 1; }
awk -v edit="$2" '/^let snetTraining = / { while ((getline line < edit) > 0) print line; next } !/^let snetTrainingPackage = / { print }' \
  "$1" > "$1.edited"
mv "$1.edited" "$1"
SH
chmod +x "$work/apply-package-edit"

{
  echo 'echo $$ > walkthrough.pid    # its process group, killed when it ends'
  echo 'set -euo pipefail'
  echo "PS4='+ \$(date +%T) '; set -x    # each command and when it started, in the log"
  echo "SWIFT_OPTIONS=($(printf '%q ' "${swift_options[@]}"))"
  echo 'swift() { local subcommand="$1"; shift; command swift "$subcommand" "${SWIFT_OPTIONS[@]}" "$@"; }'
  cat "$work/steps.sh"
} > "$work/walkthrough.sh"
echo "template README steps, as run (port $port):"
sed 's/^/    /' "$work/steps.sh"

# A session of its own, so that the server the steps start is stopped with them.
export APPLY_PACKAGE_EDIT="$work/apply-package-edit" SNET_TRAIN_ENDPOINT="127.0.0.1:$port"
status=0
(cd "$work" && exec timeout -s KILL 1800 setsid bash walkthrough.sh) > "$work/walkthrough.log" 2>&1 || status=$?
kill -KILL -- "-$(cat "$work/walkthrough.pid")" 2>/dev/null || true
expected="$(cat "$work/expected")"
if [[ $status -ne 0 ]] || ! grep -qxF "$expected" "$work/walkthrough.log"; then
  cat "$work/walkthrough.log"
  echo "error: the template's README steps ended with status $status, not with '$expected'" >&2
  exit 1
fi
grep -E '^\+ [0-9:]{8} [^ ]' "$work/walkthrough.log" | grep -v -e ' local subcommand=' -e ' command swift ' -e ' shift$'
grep -xF -A1 "$expected" "$work/walkthrough.log"
echo "template README steps: $((SECONDS - started)) s"
