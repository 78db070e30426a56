import Foundation

/// What a forwarded call went through.
enum Forwarder: String, CaseIterable, Sendable {
    /// The `training-gateway` executable: the product.
    case gateway
    /// Another build of the gateway (`--compare-gateway PATH`), to compare two builds in one run.
    case comparedGateway = "compared gateway"
    /// ``RelayFloor``: HTTP/2 frames relayed without a call layer, a measurement tool.
    case relayFloor = "relay floor"
}

/// One run's direct and forwarded windows of one method.
struct Measurement {
    var run: Int
    var method: BenchmarkMethod
    var via: Forwarder
    var direct: Window
    var forwarded: Window
    var loadAverage: String

    var ratio: Double { forwarded.callsPerSecond / direct.callsPerSecond }
}

/// Prints each run as a table row (Markdown, as docs/benchmarks.md shows it) and the medians.
struct GatewayReport {
    var callers: Int
    var duration: Duration
    var provider: String
    private(set) var measurements: [Measurement] = []
    /// get_model_status served by the gateway itself, per run: the gateway's µs of CPU per call.
    private(set) var statusCPU: [Double] = []

    init(callers: Int, duration: Duration, provider: String) {
        self.callers = callers
        self.duration = duration
        self.provider = provider
    }

    func printHeader() {
        print(
            "Run: \(Date().formatted(.iso8601)), \(ProcessInfo.processInfo.activeProcessorCount) cores, \(provider) provider, \(callers) callers, \(duration) per window"
        )
        print("CPU per call: the process's user and system time over the window (/proc/PID/stat), divided by the calls answered.\n")
        print(
            "| run | method | via | direct calls/s | forwarded calls/s | forwarded / direct | provider CPU/call, direct | forwarder CPU/call | provider CPU/call, forwarded | load average before |"
        )
        print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    }

    mutating func add(_ measurement: Measurement) {
        measurements.append(measurement)
        let m = measurement
        print(
            "| \(m.run) | \(m.method.rawValue) | \(m.via.rawValue) | \(Int(m.direct.callsPerSecond)) | \(Int(m.forwarded.callsPerSecond)) | \(Self.fixed(m.ratio)) | "
                + "\(Self.micro(m.direct.cpuPerCall(0))) | \(Self.micro(m.forwarded.cpuPerCall(1))) | \(Self.micro(m.forwarded.cpuPerCall(0))) | \(m.loadAverage) |"
        )
        fflush(nil)  // each row as soon as it is measured
    }

    mutating func add(statusRun run: Int, _ window: Window) {
        statusCPU.append(window.cpuPerCall(0))
        print(
            "| \(run) | get_model_status (the gateway's own) | gateway | | \(Int(window.callsPerSecond)) | | | \(Self.micro(window.cpuPerCall(0))) | | \(ProcessCPU.loadAverage()) |"
        )
        fflush(nil)  // each row as soon as it is measured
    }

    func printSummary() {
        print("\nMedians over \(statusCPU.count) runs:\n")
        print("| method | via | forwarded / direct (min-max) | provider CPU/call, direct | forwarder CPU/call | gateway's own get_model_status CPU/call |")
        print("| --- | --- | --- | --- | --- | --- |")
        for method in BenchmarkMethod.allCases {
            for via in Forwarder.allCases {
                let runs = measurements.filter { $0.method == method && $0.via == via }
                guard !runs.isEmpty else { continue }
                let ratios = runs.map(\.ratio)
                print(
                    "| \(method.rawValue) | \(via.rawValue) | \(Self.fixed(Self.median(ratios))) (\(Self.fixed(ratios.min() ?? 0))-\(Self.fixed(ratios.max() ?? 0))) | "
                        + "\(Self.micro(Self.median(runs.map { $0.direct.cpuPerCall(0) }))) | \(Self.micro(Self.median(runs.map { $0.forwarded.cpuPerCall(1) }))) | "
                        + "\(Self.micro(Self.median(statusCPU))) |"
                )
            }
        }
    }

    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return 0 }
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }

    private static func fixed(_ value: Double) -> String { String(format: "%.2f", value) }
    private static func micro(_ value: Double) -> String { "\(Int(value.rounded())) µs" }
}
