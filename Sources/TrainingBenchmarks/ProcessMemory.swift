import Foundation

/// Resident-memory figures of this process from /proc (Linux).
enum ProcessMemory {
    /// VmRSS: resident now.
    static func residentBytes() -> Int { statusField("VmRSS:") }

    /// VmHWM: the peak resident size since start or the last ``resetPeak()``.
    static func peakResidentBytes() -> Int { statusField("VmHWM:") }

    /// Writing 5 to clear_refs resets VmHWM to the current RSS, so each measurement has its own peak.
    static func resetPeak() {
        try? "5".write(toFile: "/proc/self/clear_refs", atomically: false, encoding: .ascii)
    }

    private static func statusField(_ name: String) -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .ascii) else { return 0 }
        for line in status.split(separator: "\n") where line.hasPrefix(name) {
            let kilobytes = line.split(separator: " ").compactMap { Int($0) }.first ?? 0
            return kilobytes * 1024
        }
        return 0
    }
}
