import Foundation
import Glibc
import Prometheus
import Synchronization

/// The standard Prometheus process figures, with the types and names the official clients give
/// them (`process_cpu_seconds_total` a counter; `process_resident_memory_bytes`,
/// `process_virtual_memory_bytes`, `process_open_fds`, `process_max_fds`,
/// `process_start_time_seconds`, `process_threads` gauges), read from `/proc/self` when scraped.
/// swift-prometheus has no process collector and the only package that does is not available here.
final class ProcessMetrics: Sendable {
    private let cpu: Counter
    private let cpuSeen = Mutex(0.0)
    private let maxFiles: Gauge
    private let resident: Gauge
    private let virtual: Gauge
    private let openFiles: Gauge
    private let start: Gauge
    private let threads: Gauge

    init(registry: PrometheusCollectorRegistry) {
        cpu = registry.makeCounter(
            descriptor: .init(metricName: "process_cpu_seconds_total", unitName: "", helpText: "Total user and system CPU time spent in seconds."))
        maxFiles = registry.makeGauge(descriptor: .init(metricName: "process_max_fds", unitName: "", helpText: "Maximum number of open file descriptors."))
        resident = registry.makeGauge(descriptor: .init(metricName: "process_resident_memory_bytes", unitName: "", helpText: "Resident memory size, in bytes."))
        virtual = registry.makeGauge(descriptor: .init(metricName: "process_virtual_memory_bytes", unitName: "", helpText: "Virtual memory size, in bytes."))
        openFiles = registry.makeGauge(descriptor: .init(metricName: "process_open_fds", unitName: "", helpText: "Open file descriptors."))
        start = registry.makeGauge(
            descriptor: .init(metricName: "process_start_time_seconds", unitName: "", helpText: "Start time of the process since the Unix epoch, in seconds."))
        threads = registry.makeGauge(descriptor: .init(metricName: "process_threads", unitName: "", helpText: "Operating-system threads in the process."))
    }

    /// Reads the figures now; on a system without `/proc` they keep their last values.
    func sample() {
        guard let stat = try? String(contentsOfFile: "/proc/self/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return }
        // Fields after the command name (which may contain spaces), numbered from field 3 (state).
        let fields = stat[stat.index(after: close)...].split(separator: " ").map(String.init)
        func field(_ number: Int) -> Double? { fields.indices.contains(number - 3) ? Double(fields[number - 3]) : nil }
        let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
        let pageSize = Double(sysconf(Int32(_SC_PAGESIZE)))
        if let user = field(14), let system = field(15) {
            // A counter only grows: add what was spent since the last scrape.
            let total = (user + system) / ticks
            let added = cpuSeen.withLock { seen in
                defer { seen = max(seen, total) }
                return max(0, total - seen)
            }
            if added > 0 { cpu.increment(by: added) }
        }
        var limit = rlimit()
        if getrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit) == 0 { maxFiles.set(Double(limit.rlim_cur)) }
        if let count = field(20) { threads.set(count) }
        if let bytes = field(23) { virtual.set(bytes) }
        if let pages = field(24) { resident.set(pages * pageSize) }
        if let startTicks = field(22), let boot = Self.bootTime() { start.set(boot + startTicks / ticks) }
        if let descriptors = try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd") {
            openFiles.set(Double(descriptors.count))
        }
    }

    private static func bootTime() -> Double? {
        guard let text = try? String(contentsOfFile: "/proc/stat", encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix("btime ") {
            return Double(line.dropFirst(6).trimmingCharacters(in: .whitespaces))
        }
        return nil
    }
}
