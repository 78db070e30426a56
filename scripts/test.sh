#!/usr/bin/env bash
# The project's whole test suite: the Swift tests (unit, registry, end-to-end over gRPC on
# loopback, speech), then the Python interoperability test that drives stt-service with a client
# generated from the unmodified training.proto.
set -euo pipefail
cd "$(dirname "$0")/.."

swift build --build-tests
swift test --skip-build
python3 -m pytest -q Tests/python
