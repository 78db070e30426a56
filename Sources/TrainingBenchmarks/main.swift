import Foundation

// Prints the project's measured figures as Markdown tables (README "Measured figures").
// Usage: swift run -c release TrainingBenchmarks [--quick]
let quick = CommandLine.arguments.contains("--quick")
print("## Upload memory and throughput (gRPC on loopback, SDK-style 1 MiB messages)\n")
try await UploadMemoryBenchmark(
    sizes: quick ? [("10 MiB", 10 << 20), ("100 MiB", 100 << 20)] : [("10 MiB", 10 << 20), ("1 GiB", 1 << 30)]
).run()
