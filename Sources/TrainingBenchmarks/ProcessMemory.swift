import Foundation

/// Resident-memory figures of a process from /proc (Linux): this one (`self`) or a server the
/// benchmarks started (its pid).
struct ProcessMemory: Sendable {
    /// The `/proc` entry: "self" or a pid.
    let process: String

    static let current = ProcessMemory(process: "self")

    init(process: String) { self.process = process }
    init(pid: Int32) { self.process = String(pid) }

    /// VmRSS: resident now.
    func residentBytes() -> Int { statusField("VmRSS:") }

    /// RssAnon: the resident part not backed by a file (the heap, malloc arenas, thread stacks).
    func anonymousBytes() -> Int { statusField("RssAnon:") }

    /// RssFile: the resident part backed by files (the executable, libraries, mapped files).
    func fileBackedBytes() -> Int { statusField("RssFile:") }

    /// VmHWM: the peak resident size since start or the last ``resetPeak()``.
    func peakResidentBytes() -> Int { statusField("VmHWM:") }

    /// Writing 5 to clear_refs resets VmHWM to the current RSS, so each measurement has its own peak.
    func resetPeak() {
        try? "5".write(toFile: "/proc/\(process)/clear_refs", atomically: false, encoding: .ascii)
    }

    private func statusField(_ name: String) -> Int {
        guard let status = try? String(contentsOfFile: "/proc/\(process)/status", encoding: .ascii) else { return 0 }
        for line in status.split(separator: "\n") where line.hasPrefix(name) {
            let kilobytes = line.split(separator: " ").compactMap { Int($0) }.first ?? 0
            return kilobytes * 1024
        }
        return 0
    }
}
