import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Checks made before any expensive start-up work (opening the registry, building the default
/// model), so that a taken port or an unusable data directory costs the operator one line and no
/// wait. The server binds its port again when it starts; the check below only makes the common
/// mistake fast and plain.
enum StartupChecks {
    /// Which listener a port belongs to, so that a failure names the key that sets it.
    enum Listener {
        /// The gRPC port: server.port, --port.
        case server
        /// The admin listener: admin.port (no flag).
        case admin
    }

    /// Binds `host:port` as the server will (SO_REUSEADDR, as NIO sets it for servers) and releases it.
    static func portIsFree(host: String, port: Int, for listener: Listener = .server) throws(StartupFailure) {
        guard port != 0 else { return }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        guard inet_pton(AF_INET, host, &address.sin_addr) == 1 else { return }
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { return }
        defer { close(socket) }
        var yes: Int32 = 1
        _ = setsockopt(socket, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        let bound = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound != 0 else { return }
        throw StartupFailure(kind: .cannotListen, message: listenProblem(errno: errno, host: host, port: port, for: listener))
    }

    static func listenProblem(errno code: Int32, host: String, port: Int, for listener: Listener = .server) -> String {
        if listener == .admin { return adminListenProblem(errno: code, host: host, port: port) }
        switch code {
        case EADDRINUSE:
            return "port \(port) on \(host) is already in use (another stt-service?); stop that process or choose another port with --port (server.port)."
        case EACCES:
            return "port \(port) on \(host) needs privileges this process does not have; choose a port above 1023 with --port (server.port)."
        case EADDRNOTAVAIL:
            return "\(host) is not an address of this machine; use 127.0.0.1, or 0.0.0.0 for every interface (--host, server.host)."
        default:
            return "cannot listen on \(host):\(port): \(String(cString: strerror(code)))."
        }
    }

    static func adminListenProblem(errno code: Int32, host: String, port: Int) -> String {
        switch code {
        case EADDRINUSE:
            return
                "admin.port \(port) on \(host) is already in use (by another process, or another stt-service's admin listener); stop that process or choose another admin.port (STT_SERVICE_ADMIN_PORT)."
        case EACCES:
            return "admin.port \(port) on \(host) needs privileges this process does not have; choose an admin.port above 1023 (STT_SERVICE_ADMIN_PORT)."
        case EADDRNOTAVAIL:
            return "admin.host \(host) is not an address of this machine; use 127.0.0.1 (the default) for the admin listener (STT_SERVICE_ADMIN_HOST)."
        default:
            return "cannot listen on \(host):\(port) for the admin listener (admin.port): \(String(cString: strerror(code)))."
        }
    }

    /// Creates the data directory if needed and proves it writable by writing a file in it.
    static func dataDirectoryIsUsable(_ directory: URL) throws(StartupFailure) {
        var path = directory.path(percentEncoded: false)
        while path.count > 1, path.hasSuffix("/") { path.removeLast() }
        func failure(_ reason: String) -> StartupFailure {
            StartupFailure(
                kind: .dataDirectory,
                message: "the data directory \(path) cannot be used: \(reason); choose another with --data-dir (server.dataDirectory)."
            )
        }
        if let problem = createDirectories(path) { throw failure(problem) }
        let probe = path + "/.write-check-\(UUID().uuidString)"
        let fd = open(probe, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard fd >= 0 else { throw failure(String(cString: strerror(errno))) }
        close(fd)
        unlink(probe)
    }

    /// `mkdir -p` with the system's reason when it fails ("Not a directory", "Permission denied",
    /// "Read-only file system"); Foundation reports most of these as "The operation could not be
    /// completed".
    private static func createDirectories(_ path: String) -> String? {
        var current = path.hasPrefix("/") ? "" : "."
        for component in path.split(separator: "/") {
            current += "/" + component
            var status = stat()
            if stat(current, &status) == 0 {
                if status.st_mode & S_IFMT != S_IFDIR {
                    return current == path ? "it is a file, not a directory" : "\(current) is a file, not a directory"
                }
                continue
            }
            if mkdir(current, 0o755) != 0, errno != EEXIST { return String(cString: strerror(errno)) }
        }
        return nil
    }
}
