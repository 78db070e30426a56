import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A loopback TCP port nothing listens on, for a server a test starts in another process (a
/// PostgreSQL cluster, `stt-service`, `training-gateway`), or for a provider meant to be unreachable.
///
/// The kernel's own pick for port 0 is not safe here: between releasing it and the other process
/// binding it, a server this test process starts on port 0 (or an outgoing connection's local port)
/// can be handed the same port, and the test then talks to the wrong server. So the port is chosen
/// below the kernel's ephemeral range (`/proc/sys/net/ipv4/ip_local_port_range`), where the kernel
/// never picks, checked free by binding it, and never handed out twice by one process.
public enum UnusedPort {
    private static let handedOut = Mutex<Set<Int>>([])

    public static func pick() throws -> Int {
        let candidates = 20_000..<max(20_001, ephemeralRangeStart())
        for _ in 0..<200 {
            let port = Int.random(in: candidates)
            let fresh = handedOut.withLock { $0.insert(port).inserted }
            if fresh, isFree(port) { return port }
        }
        throw UnusedPortError()
    }

    private static func ephemeralRangeStart() -> Int {
        let text = (try? String(contentsOfFile: "/proc/sys/net/ipv4/ip_local_port_range", encoding: .utf8)) ?? ""
        return text.split(whereSeparator: \.isWhitespace).first.flatMap { Int($0) } ?? 32_768
    }

    private static func isFree(_ port: Int) -> Bool {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        return withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }
}

public struct UnusedPortError: Error, CustomStringConvertible {
    public var description: String { "no unused loopback port found below the kernel's ephemeral range" }
}
