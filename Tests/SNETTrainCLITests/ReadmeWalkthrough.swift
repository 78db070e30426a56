import Foundation
import Subprocess
import Synchronization
import SystemPackage
import TrainingTesting
#if canImport(Glibc)
import Glibc
#endif

/// The README's snet-train walkthrough, read from README.md when the test runs (never copied into
/// the test), and run by bash as a reader would paste it; and the reference pages under docs/ that
/// tests check against the programs.
struct ReadmeWalkthrough {
    /// The package's root directory (README.md, config/, Sources/).
    static var packageRoot: URL {
        URL(filePath: #filePath).deletingLastPathComponent().appending(path: "../..").standardizedFileURL
    }

    static var readme: String {
        get throws { try document("README.md") }
    }

    /// A Markdown file of the package, by its path from the package root (`docs/snet-train.md`).
    static func document(_ path: String) throws -> String {
        try String(contentsOf: packageRoot.appending(path: path), encoding: .utf8)
    }

    /// The first ```sh block after the heading that starts with `heading`.
    static func shellBlock(after heading: String, in text: String) throws -> String {
        guard let start = text.range(of: "\n" + heading) else { throw CLIError("the document has no heading '\(heading)'") }
        let rest = text[start.upperBound...]
        guard let open = rest.range(of: "```sh\n"), let close = rest[open.upperBound...].range(of: "\n```") else {
            throw CLIError("the '\(heading)' section has no ```sh block")
        }
        return String(rest[open.upperBound..<close.lowerBound])
    }

    /// The walkthrough's commands.
    static func commands() throws -> String {
        try shellBlock(after: "## Walkthrough", in: readme)
    }

    /// A table's rows under the heading that starts with `heading`: each row's cells, header and
    /// separator left out.
    static func table(after heading: String, in text: String) throws -> [[String]] {
        guard let start = text.range(of: "\n" + heading) else { throw CLIError("the document has no heading '\(heading)'") }
        var rows: [[String]] = []
        var inTable = false
        for line in text[start.upperBound...].split(separator: "\n", omittingEmptySubsequences: false).dropFirst() {
            if line.hasPrefix("#") { break }
            if line.hasPrefix("|") {
                inTable = true
                let cells = line.split(separator: "|", omittingEmptySubsequences: false).dropFirst().dropLast()
                    .map { $0.trimmingCharacters(in: .whitespaces) }
                rows.append(cells)
            } else if inTable {
                break
            }
        }
        // The header and the | --- | line.
        return Array(rows.dropFirst(2))
    }
}

/// A bash script run in its own process group, so that the background server it starts is stopped
/// with it.
struct ShellRun {
    var exitCode: Int32
    var output: String

    /// Runs `script` with `bash` in `directory`, standard output and error together in one log,
    /// then kills whatever of its process group is left (the `&` server).
    ///
    /// Subprocess, not Foundation's Process: Process hands the child this test process's signal
    /// mask, SIGCHLD and SIGTERM blocked, and bash then waited forever at the script's end.
    static func run(_ script: String, in directory: URL, environment: [String: String], timeout: Duration) async throws -> ShellRun {
        let scratch = FileManager.default.temporaryDirectory.appending(path: "shell-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let scriptFile = scratch.appending(path: "walkthrough.sh")
        try Data(script.utf8).write(to: scriptFile)
        let log = scratch.appending(path: "log")
        let logDescriptor = try FileDescriptor.open(
            FilePath(log.path(percentEncoded: false)), .writeOnly, options: [.create, .truncate], permissions: [.ownerReadWrite]
        )
        defer { try? logDescriptor.close() }
        let group = ProcessGroup()
        defer { group.kill() }
        let variables = environment.reduce(into: [Environment.Key: String?]()) { $0[.init(stringLiteral: $1.key)] = $1.value }
        let exitCode = try await withThrowingTaskGroup(of: Int32?.self) { tasks in
            tasks.addTask {
                var platform = PlatformOptions()
                platform.processGroupID = 0  // a group of its own, led by bash
                let outcome = try await Subprocess.run(
                    .path("/bin/bash"),
                    arguments: [scriptFile.path(percentEncoded: false)],
                    environment: .inherit.updating(variables),
                    workingDirectory: FilePath(directory.path(percentEncoded: false)),
                    platformOptions: platform,
                    input: .none,
                    output: .fileDescriptor(logDescriptor, closeAfterSpawningProcess: false),
                    error: .combinedWithOutput
                ) { execution in
                    group.leader.withLock { $0 = execution.processIdentifier.value }
                }
                switch outcome.terminationStatus {
                case .exited(let code): return code
                case .signaled(let signal): return 128 + signal
                }
            }
            tasks.addTask {
                try await Task.sleep(for: timeout)
                return nil
            }
            let first = try await tasks.next() ?? nil
            tasks.cancelAll()
            return first
        }
        let output = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        guard let exitCode else { throw CLIError("the walkthrough did not finish within \(timeout); output:\n\(output)") }
        return ShellRun(exitCode: exitCode, output: output)
    }
}

/// The process group a script leads, killed whole once the script has ended.
private final class ProcessGroup: Sendable {
    let leader = Mutex<pid_t?>(nil)

    func kill() {
        if let leader = leader.withLock({ $0 }) { _ = Glibc.kill(-leader, SIGKILL) }
    }
}

/// A port nobody listens on now, for a server started as a subprocess.
func freePort() throws -> Int { try UnusedPort.pick() }
