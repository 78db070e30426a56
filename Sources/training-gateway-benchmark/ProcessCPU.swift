import Foundation

/// CPU time (user and system, every thread, living or ended) a process has used so far, read from
/// `/proc/PID/stat`: what the process cost, whatever the machine's other load.
enum ProcessCPU {
    static func seconds(pid: Int32) throws -> Double {
        let stat = try String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)
        // The command name (field 2) is in parentheses and may hold spaces: count fields after it.
        guard let close = stat.lastIndex(of: ")") else { throw BenchmarkFailure("/proc/\(pid)/stat is unreadable") }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        // fields[0] is field 3 (state); utime and stime are fields 14 and 15, in clock ticks.
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else {
            throw BenchmarkFailure("/proc/\(pid)/stat has no CPU times")
        }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// The 1-, 5- and 15-minute load averages, as `/proc/loadavg` prints them.
    static func loadAverage() -> String {
        let text = (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)) ?? ""
        return text.split(separator: " ").prefix(3).joined(separator: " ")
    }
}

/// Why the benchmark could not measure.
struct BenchmarkFailure: Error, CustomStringConvertible {
    var description: String

    init(_ description: String) {
        self.description = description
    }
}
