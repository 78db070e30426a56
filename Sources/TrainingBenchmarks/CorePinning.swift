import Foundation

/// Servers run on the last core, clients on the others (the figures were taken that way),
/// so a server's figure is not the client's CPU time. With one core nothing is pinned.
enum CorePinning {
    static let taskset = "/usr/bin/taskset"

    static var coreCount: Int { ProcessInfo.processInfo.activeProcessorCount }

    /// The core servers run on; nil when pinning is impossible.
    static var serverCore: Int? {
        coreCount >= 2 && FileManager.default.isExecutableFile(atPath: taskset) ? coreCount - 1 : nil
    }

    /// Moves every thread of this process to the cores servers do not use; returns whether it did.
    @discardableResult
    static func pinClients() -> Bool {
        guard let serverCore else { return false }
        let process = Process()
        process.executableURL = URL(filePath: taskset)
        process.arguments = ["-a", "-p", "-c", "0-\(serverCore - 1)", String(getpid())]
        process.standardOutput = FileHandle.nullDevice
        do {
            try process.run()
            process.waitUntilExit()
            return process.terminationStatus == 0
        } catch {
            return false
        }
    }
}
