import Foundation

// Prints the project's measured figures as Markdown tables (docs/benchmarks.md), each next
// to the baseline it is quoted against, all measured in this one run.
// Usage: swift build -c release --scratch-path .build-release --product TrainingBenchmarks &&
//        .build-release/release/TrainingBenchmarks [--quick] [--no-pin]
// --quick runs every benchmark on tiny sizes in seconds (CI checks they run, not their figures).
let options = BenchmarkOptions(CommandLine.arguments)
if let server = options.server { try await BenchmarkServer.serve(server) }

let benchmarks: [any Benchmark] = [
    StatusBenchmark(),
    UploadBenchmark(),
    ArchiveScanBenchmark(),
    RegistrySizeBenchmark(),
    InferenceBenchmark(),
    HostileLoadBenchmark(),
    MemoryReturnBenchmark(),
]
try await BenchmarkRun(options: options).run(benchmarks)
