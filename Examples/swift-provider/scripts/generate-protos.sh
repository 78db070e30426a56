#!/usr/bin/env bash
# Generates the Swift code and the descriptor set of Protos/classifier.proto.
#
#   Sources/TextClassifierProto/classifier.pb.swift, classifier.grpc.swift   messages, client, service protocol
#   Sources/TextClassifier/Resources/classifier.protoset                     read at start-up: which methods are trainable, their limits
#
# training.proto is taken from the SNETTraining checkout this package depends on, imported by
# exactly that name (as the daemon does), and mapped to SNETTraining's TrainingProto module
# (Protos/module-mappings.asciipb), so its types are not generated a second time.
#
# Needs protoc (Debian: apt-get install protobuf-compiler libprotobuf-dev). The two plugins are
# built from this package's own dependencies on the first run; PROTOC_GEN_SWIFT and
# PROTOC_GEN_GRPC_SWIFT name already-built ones instead. SCRATCH_PATH: the build folder, if not .build.
#
# Usage: scripts/generate-protos.sh           regenerate in place
#        scripts/generate-protos.sh --check   fail if the committed files differ from a fresh generation
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
check=false
[[ "${1:-}" == "--check" ]] && check=true
swift_options=(--package-path "$root" ${SCRATCH_PATH:+--scratch-path "$SCRATCH_PATH"})
command -v protoc >/dev/null || { echo "error: protoc not found (apt-get install protobuf-compiler libprotobuf-dev)" >&2; exit 1; }

# The folder holding training.proto: in the checkout of the package that ships it.
training_protos="$(swift package "${swift_options[@]}" show-dependencies --format json | python3 -c '
import json, os, sys
def walk(node):
    for dep in node.get("dependencies", []):
        if os.path.isfile(os.path.join(dep["path"], "Protos", "training.proto")):
            print(os.path.join(dep["path"], "Protos")); sys.exit(0)
        walk(dep)
walk(json.load(sys.stdin)); sys.exit("error: no dependency ships Protos/training.proto")
')"

plugin_swift="${PROTOC_GEN_SWIFT:-}"
plugin_grpc="${PROTOC_GEN_GRPC_SWIFT:-}"
if [[ -z "$plugin_swift" || -z "$plugin_grpc" ]]; then
  swift build "${swift_options[@]}" --product protoc-gen-swift >&2
  swift build "${swift_options[@]}" --product protoc-gen-grpc-swift-2 >&2
  bin="$(swift build "${swift_options[@]}" --show-bin-path)"
  plugin_swift="$bin/protoc-gen-swift"
  plugin_grpc="$bin/protoc-gen-grpc-swift-2"
fi

out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
mkdir -p "$out/TextClassifierProto" "$out/Resources"
options="Visibility=Public,ProtoPathModuleMappings=$root/Protos/module-mappings.asciipb"
protoc \
  --plugin=protoc-gen-swift="$plugin_swift" \
  --plugin=protoc-gen-grpc-swift-2="$plugin_grpc" \
  -I "$root/Protos" -I "$training_protos" \
  --swift_out="$out/TextClassifierProto" --swift_opt="$options" \
  --grpc-swift-2_out="$out/TextClassifierProto" --grpc-swift-2_opt="$options" \
  classifier.proto
# With its imports: the server reads the training.* options from it, as the daemon reads them
# from the published proto.
protoc -I "$root/Protos" -I "$training_protos" --include_imports \
  --descriptor_set_out="$out/Resources/classifier.protoset" classifier.proto

targets=("TextClassifierProto:$root/Sources/TextClassifierProto" "Resources:$root/Sources/TextClassifier/Resources")
if $check; then
  status=0
  for pair in "${targets[@]}"; do
    diff -r "$out/${pair%%:*}" "${pair#*:}" >&2 || status=1
  done
  [[ $status == 0 ]] || { echo "error: generated code is stale: run Examples/swift-provider/scripts/generate-protos.sh" >&2; exit 1; }
  echo "generated code is up to date"
else
  for pair in "${targets[@]}"; do
    mkdir -p "${pair#*:}"
    cp "$out/${pair%%:*}"/* "${pair#*:}/"
  done
fi
