public import Foundation

/// A throwaway PostgreSQL server for one test: `initdb` in a temporary directory, `postgres` on a free
/// port with its socket in that directory, trust authentication, stopped and deleted by ``stop()``.
/// Needs PostgreSQL's server binaries (Debian's `postgresql` package; set `POSTGRES_BIN` to another
/// `bin` directory). Runs the server as the `postgres` user when the tests run as root, since
/// PostgreSQL refuses to run as root.
public final class PostgresTestCluster: Sendable {
    public let directory: URL
    public let port: Int
    public let username = "postgres"

    public static var binDirectory: URL {
        URL(filePath: ProcessInfo.processInfo.environment["POSTGRES_BIN"] ?? "/usr/lib/postgresql/15/bin")
    }

    public static func start() async throws -> PostgresTestCluster {
        let directory = URL(filePath: "/tmp").appending(path: "pg-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var cluster = PostgresTestCluster(directory: directory, port: try UnusedPort.pick())
        if getuid() == 0 {
            _ = try await run("/bin/chown", ["-R", "postgres:postgres", directory.path(percentEncoded: false)], log: cluster.toolLog)
        }
        try await cluster.asServerUser("initdb", ["-D", cluster.dataPath, "-U", "postgres", "--auth=trust", "--no-sync", "-E", "UTF8"])
        // A free port can be taken by another test's server before this one binds it (tests start
        // clusters in parallel): that server then exits at once, and this one tries another port.
        for _ in 0..<5 {
            if try await cluster.launched() { return cluster }
            cluster = PostgresTestCluster(directory: directory, port: try UnusedPort.pick())
        }
        await cluster.stop()
        throw ClusterError(message: "the server did not accept connections; see \(cluster.directory.path(percentEncoded: false))/log")
    }

    /// Starts the server and waits until it accepts connections on the socket in its own directory
    /// (so a server of another test on the same port is never mistaken for it); false if it exited.
    private func launched() async throws -> Bool {
        // The server runs as our own child rather than through `pg_ctl start`: Foundation notices a
        // child's exit through a descriptor the child inherits, and a daemon started by pg_ctl
        // would keep it open, so pg_ctl would never seem to finish.
        let server = try launchServer()
        let socketDirectory = directory.path(percentEncoded: false)
        for _ in 0..<150 {
            if try await asServerUser("pg_isready", ["-h", socketDirectory, "-p", "\(port)", "-q"], check: false) == 0 {
                return true
            }
            guard server.isRunning else { return false }
            try await Task.sleep(for: .milliseconds(100))
        }
        return false
    }

    private init(directory: URL, port: Int) {
        self.directory = directory
        self.port = port
    }

    /// `postgres://postgres@127.0.0.1:<port>/<database>`
    public func url(database: String = "postgres") -> String { "postgres://postgres@127.0.0.1:\(port)/\(database)" }

    /// Stops the server as an outage would, keeping its data: ``resume()`` starts it again.
    public func pause() async {
        _ = try? await asServerUser("pg_ctl", ["-D", dataPath, "-m", "immediate", "-w", "stop"], check: false)
    }

    /// Starts the paused server again on the same port, with the same data.
    public func resume() async throws {
        guard try await launched() else {
            throw ClusterError(message: "the server did not start again; see \(directory.path(percentEncoded: false))/log")
        }
    }

    /// `body` with a server started for it, stopped afterwards whether `body` succeeds or throws.
    public static func with<T>(_ body: (PostgresTestCluster) async throws -> T) async throws -> T {
        let cluster = try await start()
        do {
            let value = try await body(cluster)
            await cluster.stop()
            return value
        } catch {
            await cluster.stop()
            throw error
        }
    }

    public func stop() async {
        _ = try? await asServerUser("pg_ctl", ["-D", dataPath, "-m", "immediate", "-w", "stop"], check: false)
        try? FileManager.default.removeItem(at: directory)
    }

    private func launchServer() throws -> Process {
        let binary = Self.binDirectory.appending(path: "postgres").path(percentEncoded: false)
        let arguments = ["-D", dataPath, "-p", "\(port)", "-k", directory.path(percentEncoded: false), "-h", "127.0.0.1", "-F"]
        let process = Process()
        process.executableURL = URL(filePath: getuid() == 0 ? "/usr/sbin/runuser" : binary)
        process.arguments = getuid() == 0 ? ["-u", "postgres", "--", binary] + arguments : arguments
        let log = try FileHandle(forWritingTo: toolLog)
        try log.seekToEnd()
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = log
        process.standardError = log
        try process.run()
        try log.close()
        return process
    }

    private var dataPath: String { directory.appending(path: "data").path(percentEncoded: false) }

    /// Tool output goes to a file, not a pipe: `pg_ctl start` leaves the server running with the
    /// tool's descriptors, so a pipe would never reach end-of-file.
    private var toolLog: URL { directory.appending(path: "tools.log") }

    @discardableResult
    private func asServerUser(_ tool: String, _ arguments: [String], check: Bool = true) async throws -> Int32 {
        let binary = Self.binDirectory.appending(path: tool).path(percentEncoded: false)
        if getuid() == 0 {
            return try await Self.run("/usr/sbin/runuser", ["-u", "postgres", "--", binary] + arguments, log: toolLog, check: check)
        }
        return try await Self.run(binary, arguments, log: toolLog, check: check)
    }

    /// Runs a short-lived tool to completion without blocking a thread of the concurrency pool.
    @discardableResult
    private static func run(_ executable: String, _ arguments: [String], log: URL, check: Bool = true) async throws -> Int32 {
        if !FileManager.default.fileExists(atPath: log.path(percentEncoded: false)) {
            _ = FileManager.default.createFile(atPath: log.path(percentEncoded: false), contents: nil)
            _ = chmod(log.path(percentEncoded: false), 0o666)
        }
        let output = try FileHandle(forWritingTo: log)
        defer { try? output.close() }
        try output.seekToEnd()
        let process = Process()
        process.executableURL = URL(filePath: executable)
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = output
        process.standardError = output
        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
            do {
                try process.run()
            } catch {
                process.terminationHandler = nil
                continuation.resume(throwing: error)
            }
        }
        guard status == 0 || !check else {
            let tail = (try? String(contentsOf: log, encoding: .utf8)).map { String($0.suffix(2000)) } ?? ""
            throw ClusterError(message: "\(executable) \(arguments.joined(separator: " ")) exited \(status): \(tail)")
        }
        return status
    }

    struct ClusterError: Error, CustomStringConvertible {
        var message: String
        var description: String { "PostgreSQL test cluster: \(message)" }
    }
}
