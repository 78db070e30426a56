#!/usr/bin/env bash
# Builds a package that depends on this one by version, as a provider's does, using every library
# product: SwiftPM refuses unsafe flags (and more) in a dependency resolved by version that it
# accepts in a root package, so only this shows that the products can be depended on.
#
# The dependency is a clone of the committed HEAD, tagged 1.0.0, reached by a file:// URL.
# Usage: scripts/check-version-dependency.sh [scratch-path]   (default: a temporary one; pass the
#        root's .build to reuse the third-party modules it has built)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
scratch="${1:-$work/.build}"

git clone -q "$root" "$work/snet-training"
git -C "$work/snet-training" -c user.name=ci -c user.email=ci@localhost tag 1.0.0

mkdir -p "$work/dependent/Sources/dependent"
cat > "$work/dependent/Package.swift" <<SWIFT
// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "dependent",
    dependencies: [.package(url: "file://$work/snet-training", from: "1.0.0")],
    targets: [
        .executableTarget(
            name: "dependent",
            dependencies: [
$(sed -n 's/^ *\.library(name: "\([A-Za-z]*\)".*/                .product(name: "\1", package: "snet-training"),/p' "$root/Package.swift")
            ]
        )
    ]
)
SWIFT
{
  sed -n 's/^ *\.library(name: "\([A-Za-z]*\)".*/import \1/p' "$root/Package.swift"
  echo 'print(TrainingServerConfiguration.defaults.port)'
} > "$work/dependent/Sources/dependent/main.swift"
echo "products: $(sed -n 's/^ *\.library(name: "\([A-Za-z]*\)".*/\1/p' "$root/Package.swift" | paste -sd' ' -)"

# SWIFT_BUILD_OPTIONS: more options for swift build (e.g. --ignore-lock).
swift build ${SWIFT_BUILD_OPTIONS:-} --package-path "$work/dependent" --scratch-path "$scratch"
"$(swift build ${SWIFT_BUILD_OPTIONS:-} --package-path "$work/dependent" --scratch-path "$scratch" --show-bin-path)/dependent"
