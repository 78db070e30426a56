public import Foundation
public import TrainingCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Keeps a reserve of free space on the volume that holds the data directory. Uploads, link
/// downloads and archive extraction ask it before they write: a write that would leave less than
/// the reserve free is refused with RESOURCE_EXHAUSTED, so one consumer's dataset cannot fill the
/// disk the registry, the other models and the logs live on.
///
/// ```swift
/// let space = DiskSpaceGuard(directory: dataDirectory, reserveBytes: 2 << 30)  // keep 2 GiB free
/// try space.checkRoom(for: UInt64(chunk.count))                              // before each write
/// ```
public struct DiskSpaceGuard: Sendable {
    /// What `statvfs` says about a volume.
    public struct VolumeSpace: Sendable, Hashable {
        /// Bytes an unprivileged process may still write (`f_bavail × f_frsize`).
        public var availableBytes: UInt64
        /// The volume's size (`f_blocks × f_frsize`).
        public var totalBytes: UInt64

        public init(availableBytes: UInt64, totalBytes: UInt64) {
            self.availableBytes = availableBytes
            self.totalBytes = totalBytes
        }
    }

    /// The automatic reserve: this much, or ``automaticReservePercent`` of the volume if smaller (a
    /// small test volume must not refuse everything).
    public static let automaticReserveCap: UInt64 = 1 << 30
    public static let automaticReservePercent: UInt64 = 5

    /// A directory on the guarded volume (the data directory).
    public let directory: URL
    /// Free bytes to keep; nil: the smaller of 1 GiB and 5 % of the volume.
    public let reserveBytes: UInt64?
    private let measure: @Sendable (URL) throws -> VolumeSpace

    /// Guards the volume holding `directory`, keeping `reserveBytes` free (nil: the smaller of 1 GiB
    /// and 5 % of the volume; 0: only refuses writes that cannot fit at all).
    public init(directory: URL, reserveBytes: UInt64? = nil) {
        self.init(directory: directory, reserveBytes: reserveBytes, measure: Self.statvfsSpace)
    }

    /// A guard that reads the volume's space from `measure`, so tests can run out of disk on demand.
    package init(directory: URL, reserveBytes: UInt64?, measure: @escaping @Sendable (URL) throws -> VolumeSpace) {
        self.directory = directory
        self.reserveBytes = reserveBytes
        self.measure = measure
    }

    /// The volume's space now.
    public func volumeSpace() throws -> VolumeSpace {
        try measure(directory)
    }

    /// The reserve in bytes for a volume of this size.
    public func reserve(for space: VolumeSpace) -> UInt64 {
        reserveBytes ?? min(Self.automaticReserveCap, space.totalBytes / 100 * Self.automaticReservePercent)
    }

    /// How many bytes may still be written before the free space falls below the reserve; nil when
    /// the volume cannot be measured (the write itself then reports what is wrong).
    public func writableBytes() -> UInt64? {
        guard let space = try? volumeSpace() else { return nil }
        let reserve = reserve(for: space)
        return space.availableBytes > reserve ? space.availableBytes - reserve : 0
    }

    /// Whether `bytes` more can be written without going below the reserve.
    public func hasRoom(for bytes: UInt64) -> Bool {
        guard let writable = writableBytes() else { return true }
        return bytes <= writable
    }

    /// Throws RESOURCE_EXHAUSTED if writing `bytes` more would go below the reserve. The consumer
    /// can do nothing but wait, so the message says only that.
    public func checkRoom(for bytes: UInt64) throws(TrainingError) {
        guard hasRoom(for: bytes) else { throw Self.lowOnSpace }
    }

    /// The refusal every guarded write gives.
    public static var lowOnSpace: TrainingError {
        .resourceExhausted("The service is low on disk space; try again later.")
    }

    /// True for the refusal ``checkRoom(for:)`` throws.
    public static func isLowOnSpace(_ error: any Error) -> Bool {
        guard let error = error as? TrainingError else { return false }
        return error.code == .resourceExhausted && error.message == lowOnSpace.message
    }

    /// The reserve's refusal, or the disk (or a quota) refusing a write outright: Foundation reports
    /// ENOSPC as `CocoaError.fileWriteOutOfSpace` over the POSIX error.
    static func isDiskFull(_ error: any Error) -> Bool {
        if isLowOnSpace(error) { return true }
        if let cocoa = error as? CocoaError, cocoa.code == .fileWriteOutOfSpace { return true }
        let outer = error as NSError
        let inner = outer.userInfo[NSUnderlyingErrorKey] as? NSError
        return [outer, inner].contains { candidate in
            guard let candidate, candidate.domain == NSPOSIXErrorDomain else { return false }
            return candidate.code == Int(ENOSPC) || candidate.code == Int(EDQUOT)
        }
    }

    /// `statvfs` of `directory`, or of its nearest existing ancestor (the data directory may not be
    /// created yet: its volume is the one it will be created on).
    @Sendable private static func statvfsSpace(_ directory: URL) throws -> VolumeSpace {
        var info = statvfs()
        var path = directory.standardizedFileURL.path(percentEncoded: false)
        while statvfs(path, &info) != 0 {
            let failure = errno
            let parent = (path as NSString).deletingLastPathComponent
            guard failure == ENOENT, parent != path, !parent.isEmpty else {
                throw POSIXError(POSIXErrorCode(rawValue: failure) ?? .EIO)
            }
            path = parent
        }
        let blockSize = UInt64(info.f_frsize)
        return VolumeSpace(
            availableBytes: UInt64(info.f_bavail).multipliedReportingOverflow(by: blockSize).partialValue,
            totalBytes: UInt64(info.f_blocks).multipliedReportingOverflow(by: blockSize).partialValue
        )
    }
}
