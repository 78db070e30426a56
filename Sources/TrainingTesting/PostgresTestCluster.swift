public import Foundation

/// A throwaway PostgreSQL server for one test: `initdb` in a temporary directory, started on a free
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

    /// Whether the server binaries are installed.
    public static var isAvailable: Bool {
        FileManager.default.isExecutableFile(atPath: binDirectory.appending(path: "initdb").path(percentEncoded: false))
    }

    public static func start() throws -> PostgresTestCluster {
        let directory = URL(filePath: "/tmp").appending(path: "pg-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let cluster = PostgresTestCluster(directory: directory, port: try freePort())
        if getuid() == 0 {
            try run("/bin/chown", ["-R", "postgres:postgres", directory.path(percentEncoded: false)])
        }
        try cluster.asServerUser("initdb", ["-D", cluster.dataPath, "-U", "postgres", "--auth=trust", "--no-sync", "-E", "UTF8"])
        try cluster.asServerUser(
            "pg_ctl",
            ["-D", cluster.dataPath, "-l", cluster.directory.appending(path: "log").path(percentEncoded: false), "-w", "-o",
             "-p \(cluster.port) -k \(cluster.directory.path(percentEncoded: false)) -h 127.0.0.1 -F", "start"]
        )
        return cluster
    }

    private init(directory: URL, port: Int) {
        self.directory = directory
        self.port = port
    }

    /// `postgres://postgres@127.0.0.1:<port>/<database>`
    public func url(database: String = "postgres") -> String { "postgres://postgres@127.0.0.1:\(port)/\(database)" }

    public func stop() {
        try? asServerUser("pg_ctl", ["-D", dataPath, "-m", "immediate", "-w", "stop"])
        try? FileManager.default.removeItem(at: directory)
    }

    private var dataPath: String { directory.appending(path: "data").path(percentEncoded: false) }

    private func asServerUser(_ tool: String, _ arguments: [String]) throws {
        let binary = Self.binDirectory.appending(path: tool).path(percentEncoded: false)
        if getuid() == 0 {
            try Self.run("/usr/sbin/runuser", ["-u", "postgres", "--", binary] + arguments)
        } else {
            try Self.run(binary, arguments)
        }
    }

    private static func run(_ executable: String, _ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(filePath: executable)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        let message = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw ClusterError(message: "\(executable) \(arguments.joined(separator: " ")): \(String(decoding: message, as: UTF8.self))")
        }
    }

    private static func freePort() throws -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) == 0 && getsockname(descriptor, $0, &length) == 0 }
        }
        guard bound else { throw ClusterError(message: "no free port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    struct ClusterError: Error, CustomStringConvertible {
        var message: String
        var description: String { "PostgreSQL test cluster: \(message)" }
    }
}
