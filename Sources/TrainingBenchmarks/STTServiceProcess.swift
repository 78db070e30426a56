import Foundation
import TrainingTesting

#if canImport(Glibc)
import Glibc
#endif

/// The real `stt-service` executable (built beside this one) in a child process, as an operator
/// runs it: its own `main`, logging and configuration reading, so its memory is the product's.
/// Started on a free port and a data directory of the benchmark's; stopped with SIGTERM.
final class STTServiceProcess: @unchecked Sendable {
    let port: Int
    let memory: ProcessMemory
    private let process: Process

    private init(port: Int, process: Process) {
        self.port = port
        self.process = process
        self.memory = ProcessMemory(pid: process.processIdentifier)
    }

    /// The executable beside this benchmark's (`.build-release/release/stt-service`).
    static var builtBeside: URL {
        get throws {
            let own = URL(filePath: try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            let url = own.deletingLastPathComponent().appending(path: "stt-service")
            guard FileManager.default.isExecutableFile(atPath: url.path(percentEncoded: false)) else {
                throw BenchmarkFailure(
                    "\(url.path(percentEncoded: false)) is missing: build the stt-service product too "
                        + "(swift build -c release --scratch-path .build-release --product stt-service)")
            }
            return url
        }
    }

    /// Starts the service and returns once it accepts connections (after its default model is
    /// loaded, or trained on a first start). `environment` adds `STT_SERVICE_*` settings; the log goes to `log`.
    static func start(
        executable: URL, data: URL, log: URL, environment: [String: String] = [:], pinned core: Int?
    ) async throws -> STTServiceProcess {
        let port = try UnusedPort.pick()
        let arguments = ["--port", String(port), "--data-dir", data.path(percentEncoded: false)]
        let process = Process()
        if let core {
            process.executableURL = URL(filePath: CorePinning.taskset)
            process.arguments = ["-c", String(core), executable.path(percentEncoded: false)] + arguments
        } else {
            process.executableURL = executable
            process.arguments = arguments
        }
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        FileManager.default.createFile(atPath: log.path(percentEncoded: false), contents: nil)
        let output = try FileHandle(forWritingTo: log)
        process.standardOutput = output
        process.standardError = output
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let service = STTServiceProcess(port: port, process: process)
        let deadline = ContinuousClock.now + .seconds(600)
        while !canConnect(port: port) {
            guard process.isRunning, ContinuousClock.now < deadline else {
                service.stop()
                let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
                throw BenchmarkFailure("stt-service did not start listening; its log ends: \(text.suffix(600))")
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        return service
    }

    /// SIGTERM (a graceful shutdown), then waits for the process.
    func stop() {
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
    }

    private static func canConnect(port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = loopback(port: port)
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }

    private static func loopback(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        return address
    }
}
