import Foundation

/// What a process has spent so far, summed over its threads, from /proc (Linux): CPU time, time its
/// threads waited in the run queue for a core, and minor page faults. The difference of two
/// readings says what one call cost the server: work, waiting behind other processes, or faulting
/// memory back in.
struct ProcessActivity: Sendable {
    var cpuNanoseconds = 0
    var runQueueWaitNanoseconds = 0
    var minorFaults = 0

    /// `/proc/<pid>/task/*/schedstat` (run time, wait time, slices) and `/proc/<pid>/stat` (minflt).
    /// A thread that ended between two readings takes its figures with it: compare readings
    /// around calls that start no thread.
    init(pid: String) {
        let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task")) ?? []
        for task in tasks {
            guard let text = try? String(contentsOfFile: "/proc/\(pid)/task/\(task)/schedstat", encoding: .ascii) else { continue }
            let fields = text.split(whereSeparator: \.isWhitespace).compactMap { Int($0) }
            guard fields.count >= 2 else { continue }
            cpuNanoseconds += fields[0]
            runQueueWaitNanoseconds += fields[1]
        }
        // Fields after the command name, which is in parentheses and may hold spaces: state, ppid,
        // pgrp, session, tty, tpgid, flags, minflt.
        if let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .ascii),
            let close = stat.lastIndex(of: ")")
        {
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            if fields.count > 7 { minorFaults = Int(fields[7]) ?? 0 }
        }
    }

    private init(cpuNanoseconds: Int, runQueueWaitNanoseconds: Int, minorFaults: Int) {
        self.cpuNanoseconds = cpuNanoseconds
        self.runQueueWaitNanoseconds = runQueueWaitNanoseconds
        self.minorFaults = minorFaults
    }

    static func - (later: ProcessActivity, earlier: ProcessActivity) -> ProcessActivity {
        ProcessActivity(
            cpuNanoseconds: later.cpuNanoseconds - earlier.cpuNanoseconds,
            runQueueWaitNanoseconds: later.runQueueWaitNanoseconds - earlier.runQueueWaitNanoseconds,
            minorFaults: later.minorFaults - earlier.minorFaults
        )
    }

    /// "CPU 12.3 ms, run-queue wait 4.5 ms, 678 minor faults".
    var summary: String {
        "CPU \(Formatting.milliseconds(Double(cpuNanoseconds) / 1e6)), run-queue wait "
            + "\(Formatting.milliseconds(Double(runQueueWaitNanoseconds) / 1e6)), \(minorFaults) minor faults"
    }
}
