import Foundation
import TrainingTesting

/// A server the benchmark starts in a process of its own, so that its CPU time is its own.
final class ChildProcess: @unchecked Sendable {
    // Set up once in `init`, then only read or terminated by the benchmark's main task.
    let process: Process
    let name: String
    private let input = Pipe()

    var pid: Int32 { process.processIdentifier }

    /// Starts `executable`; its standard output and error go to `log`. Its standard input stays
    /// open until ``stop()``: the providers exit when it closes, so none outlives a crashed benchmark.
    init(name: String, executable: String, arguments: [String], log: URL) throws {
        self.name = name
        process = Process()
        process.executableURL = URL(filePath: executable)
        process.arguments = arguments
        _ = FileManager.default.createFile(atPath: log.path(percentEncoded: false), contents: nil)
        let output = try FileHandle(forWritingTo: log)
        process.standardOutput = output
        process.standardError = output
        process.standardInput = input
        try process.run()
    }

    /// CPU seconds the process has used so far.
    func cpuSeconds() throws -> Double {
        guard process.isRunning else { throw BenchmarkFailure("\(name) exited (status \(process.terminationStatus))") }
        return try ProcessCPU.seconds(pid: pid)
    }

    func stop() {
        try? input.fileHandleForWriting.close()
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
    }
}

/// A free TCP port on 127.0.0.1 (TrainingTesting's `UnusedPort`), and a wait for a server to listen on one.
enum LoopbackPort {
    static func free() throws -> Int {
        try UnusedPort.pick()
    }

    /// Returns once something accepts connections on `port`, or throws after `limit`.
    static func waitUntilListening(_ port: Int, name: String, limit: Duration = .seconds(120)) async throws {
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline {
            if accepts(port) { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw BenchmarkFailure("\(name) did not listen on port \(port) within \(limit)")
    }

    private static func accepts(_ port: Int) -> Bool {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        var address = loopback(port: port)
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
    }

    private static func loopback(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        return address
    }
}
