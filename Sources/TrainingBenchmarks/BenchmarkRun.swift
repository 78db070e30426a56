import Foundation

/// Runs the benchmarks in order, each under its own heading, with the machine's state around them
/// (figures from a loaded machine are read as such).
struct BenchmarkRun {
    let options: BenchmarkOptions

    func run(_ benchmarks: [any Benchmark]) async throws {
        let scratch = FileManager.default.temporaryDirectory.appending(path: "snet-benchmarks-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let pinned = options.pin && CorePinning.pinClients()
        let context = BenchmarkContext(quick: options.quick, pin: pinned, scratch: scratch, sttService: options.sttService)
        #if DEBUG
        let build = "debug build (figures are not comparable with release figures)"
        #else
        let build = "release build"
        #endif
        print(
            "Run: \(Date().formatted(.iso8601)), \(build)\(options.quick ? ", --quick sizes" : ""), \(CorePinning.coreCount) cores, "
                + (pinned ? "servers pinned to core \(CorePinning.serverCore ?? 0), clients to the others" : "nothing pinned")
                + ", load average before: \(Self.loadAverage())")
        for benchmark in benchmarks where options.only.map({ String(describing: type(of: benchmark)).contains($0) }) ?? true {
            print("\n### \(benchmark.title)\n")
            let seconds = try await LoadRunner.time { try await benchmark.run(context) }
            print("\n(\(Formatting.fixed(seconds)) s; load average: \(Self.loadAverage()))")
        }
    }

    /// /proc/loadavg's 1, 5 and 15 minute averages: how busy the machine was.
    static func loadAverage() -> String {
        let text = (try? String(contentsOfFile: "/proc/loadavg", encoding: .ascii)) ?? ""
        return text.split(separator: " ").prefix(3).joined(separator: " ")
    }
}
