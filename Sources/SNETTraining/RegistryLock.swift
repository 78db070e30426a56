public import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Another process holds the SQLite registry of this data directory.
///
/// A SQLite registry belongs to one process: two servers on one data directory would share its
/// job queue without knowing it, and one would re-queue and run the other's running jobs. Nodes
/// that share a data directory share a PostgreSQL registry instead (``TrainingServerConfiguration/registryURL``).
public struct DataDirectoryInUse: Error, Sendable, CustomStringConvertible {
    /// The data directory.
    public var directory: String
    /// The process that holds it, when its lock file says.
    public var holderPID: Int32?

    public var description: String {
        let holder = holderPID.map { "process \($0)" } ?? "another process"
        return
            "the data directory \(directory) is in use by \(holder), which holds its SQLite registry; stop that process, or give this one another data directory (server.dataDirectory). Nodes that share a data directory need a shared PostgreSQL registry (server.registryURL)."
    }
}

/// An exclusive `flock` on `registry.lock` in the data directory, held while the SQLite registry is
/// open and released when it closes (or when the process ends, however it ends: the kernel drops
/// the lock with the process). The file holds the holder's pid, for the message a second process
/// prints.
final class RegistryLock: Sendable {
    static let fileName = "registry.lock"

    /// The open lock file; -1 once released.
    private let descriptor: Mutex<Int32>

    /// Takes the lock at once or throws ``DataDirectoryInUse``; never waits.
    init(dataDirectory: URL) throws {
        var directory = dataDirectory.path(percentEncoded: false)
        while directory.count > 1, directory.hasSuffix("/") { directory.removeLast() }
        let path = directory + "/" + Self.fileName
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw CocoaError(
                .fileWriteUnknown, userInfo: [NSFilePathErrorKey: path, NSUnderlyingErrorKey: POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)])
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let holder = Self.readPID(descriptor)
            close(descriptor)
            throw DataDirectoryInUse(directory: directory, holderPID: holder)
        }
        let pid = Array("\(getpid())\n".utf8)
        _ = ftruncate(descriptor, 0)
        _ = pid.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, 0) }
        self.descriptor = Mutex(descriptor)
    }

    /// Releases the lock (closing the only descriptor releases the flock); later calls do nothing.
    func release() {
        descriptor.withLock { descriptor in
            guard descriptor >= 0 else { return }
            close(descriptor)
            descriptor = -1
        }
    }

    deinit {
        release()
    }

    private static func readPID(_ descriptor: Int32) -> Int32? {
        var buffer = [UInt8](repeating: 0, count: 32)
        let count = buffer.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, $0.count, 0) }
        guard count > 0 else { return nil }
        return Int32(String(decoding: buffer[0..<count], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
    }
}
