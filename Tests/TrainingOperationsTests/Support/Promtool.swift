import Foundation

/// `promtool check metrics` (Debian's `prometheus` package; `.ci/run` installs it) over a scrape:
/// its exit status and what it printed (lint problems, one a line).
enum Promtool {
    static func checkMetrics(_ scrape: String) throws -> (status: Int32, output: String) {
        let path = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
            .map { "\($0)/promtool" }
            .first { FileManager.default.isExecutableFile(atPath: $0) }
        guard let path else {
            throw PromtoolMissing()
        }
        let process = Process()
        process.executableURL = URL(filePath: path)
        process.arguments = ["check", "metrics"]
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = output
        try process.run()
        input.fileHandleForWriting.write(Data(scrape.utf8))
        try input.fileHandleForWriting.close()
        let printed = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: printed, as: UTF8.self))
    }
}

struct PromtoolMissing: Error, CustomStringConvertible {
    var description: String { "promtool is not on PATH: install Debian's prometheus package (apt-get install prometheus), as .ci/run does." }
}
