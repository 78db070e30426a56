import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A regular file opened read-only and read with `pread`, so that readers never share a file offset.
final class ArchiveFile {
    /// The file's size when it was opened.
    let size: UInt64
    private let descriptor: Int32

    init(url: URL) throws {
        let descriptor = open(url.path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw ArchiveStorageError(message: "could not open the archive", cause: POSIXError.current())
        }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else {
            let cause = POSIXError.current()
            close(descriptor)
            throw ArchiveStorageError(message: "could not read the archive's attributes", cause: cause)
        }
        guard info.st_mode & S_IFMT == S_IFREG else {
            close(descriptor)
            throw ArchiveStorageError(message: "the archive is not a regular file")
        }
        self.descriptor = descriptor
        self.size = UInt64(info.st_size)
    }

    deinit {
        close(self.descriptor)
    }

    /// Reads up to `buffer.count` bytes at `offset`; returns fewer only at the end of the file.
    func read(at offset: UInt64, into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard let base = buffer.baseAddress, buffer.count > 0, offset < UInt64(Int64.max) else { return 0 }
        var done = 0
        while done < buffer.count {
            let result = pread(self.descriptor, base + done, buffer.count - done, off_t(offset) + off_t(done))
            if result < 0 {
                if errno == EINTR { continue }
                throw ArchiveStorageError(message: "could not read the archive", cause: POSIXError.current())
            }
            if result == 0 { break }
            done += result
        }
        return done
    }

    /// Reads `count` bytes at `offset`, or fewer at the end of the file.
    func bytes(at offset: UInt64, count: Int) throws -> [UInt8] {
        guard count > 0 else { return [] }
        var bytes = [UInt8](repeating: 0, count: count)
        let read = try bytes.withUnsafeMutableBytes { try self.read(at: offset, into: $0) }
        bytes.removeLast(count - read)
        return bytes
    }
}

extension POSIXError {
    /// The error `errno` names now.
    static func current() -> POSIXError {
        POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
    }
}
