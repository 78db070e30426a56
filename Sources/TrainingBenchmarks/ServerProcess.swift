import Foundation

/// A benchmark server running in a child process (this executable with `--serve`), so its memory
/// is measured alone and it can run on a core of its own. It prints `PORT n` once it listens and
/// exits when its standard input closes, so it never outlives the benchmark.
final class ServerProcess: @unchecked Sendable {
    let port: Int
    let memory: ProcessMemory
    let dataDirectory: URL
    private let process: Process
    private let input: Pipe

    private init(port: Int, process: Process, input: Pipe, dataDirectory: URL) {
        self.port = port
        self.process = process
        self.input = input
        self.dataDirectory = dataDirectory
        self.memory = ProcessMemory(pid: process.processIdentifier)
    }

    static func start(_ arguments: ServerArguments, pinned core: Int?) throws -> ServerProcess {
        let executable = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
        let process = Process()
        if let core {
            process.executableURL = URL(filePath: CorePinning.taskset)
            process.arguments = ["-c", String(core), executable] + arguments.commandLine
        } else {
            process.executableURL = URL(filePath: executable)
            process.arguments = arguments.commandLine
        }
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        // Blocks until the server listens (the speech server first trains its default model).
        var text = ""
        while !text.contains("\n") {
            let data = output.fileHandleForReading.availableData
            if data.isEmpty { break }
            text += String(decoding: data, as: UTF8.self)
        }
        guard let line = text.split(separator: "\n").first, line.hasPrefix("PORT "), let port = Int(line.dropFirst(5)) else {
            process.terminate()
            throw BenchmarkFailure("the \(arguments.role.rawValue) server did not start (printed '\(text)')")
        }
        return ServerProcess(port: port, process: process, input: input, dataDirectory: arguments.dataDirectory)
    }

    /// Ends the server and waits for it.
    func stop() {
        try? input.fileHandleForWriting.close()
        process.terminate()
        process.waitUntilExit()
    }
}

/// A benchmark that could not run; the message says why.
struct BenchmarkFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
