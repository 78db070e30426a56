import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The empty directory an archive is extracted into. Everything is created relative to a descriptor
/// of it with `openat`/`mkdirat`, never following a symbolic link and never replacing anything, so no
/// name can lead a write outside it.
///
/// Every write first asks `diskSpace` (when given) whether it fits above the free-space reserve.
final class ExtractionDirectory {
    private let root: URL
    private let descriptor: Int32
    private let diskSpace: DiskSpaceGuard?

    init(root: URL, diskSpace: DiskSpaceGuard? = nil) throws {
        let descriptor = open(root.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw ArchiveStorageError(
                message: "the destination directory cannot be opened; it must exist",
                cause: POSIXError.current()
            )
        }
        guard let contents = try? FileManager.default.contentsOfDirectory(atPath: root.path), contents.isEmpty else {
            closeDescriptor(descriptor)
            throw ArchiveStorageError(message: "the destination directory must be empty")
        }
        self.root = root
        self.descriptor = descriptor
        self.diskSpace = diskSpace
    }

    deinit {
        closeDescriptor(self.descriptor)
    }

    func makeDirectory(_ components: [String]) throws {
        let directory = try self.openDirectory(components[...])
        if directory != self.descriptor { closeDescriptor(directory) }
    }

    /// Creates a new, empty file (mode 0644, whatever the archive says).
    func createFile(_ components: [String]) throws -> ExtractedFile {
        try Self.checkComponent(components.last ?? "")
        let parent = try self.openDirectory(components.dropLast())
        defer { if parent != self.descriptor { closeDescriptor(parent) } }
        let file = openat(parent, components.last ?? "", O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
        guard file >= 0 else {
            throw ArchiveStorageError(message: "could not create an extracted file", cause: POSIXError.current())
        }
        return ExtractedFile(descriptor: file, diskSpace: self.diskSpace)
    }

    /// Removes everything extracted so far (the directory was empty when extraction began).
    func removeContents() {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: self.root.path) else { return }
        for name in names {
            try? FileManager.default.removeItem(at: self.root.appendingPathComponent(name))
        }
    }

    /// The scan only passes normalised names; this keeps the writer safe on its own, since `openat`
    /// would follow `..` out of the directory.
    private static func checkComponent(_ component: String) throws {
        guard !component.isEmpty, component != ".", component != "..",
            !component.utf8.contains(UInt8(ascii: "/")), !component.utf8.contains(0)
        else {
            throw ArchiveStorageError(message: "refused to write an unsafe path")
        }
    }

    /// Opens (creating as needed, mode 0755) the directory at `components`; the caller closes the
    /// result unless it is the root's descriptor.
    private func openDirectory(_ components: ArraySlice<String>) throws -> Int32 {
        var current = self.descriptor
        for component in components {
            try Self.checkComponent(component)
            let flags = O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC
            var next = openat(current, component, flags)
            if next < 0, errno == ENOENT {
                if mkdirat(current, component, 0o755) == 0 || errno == EEXIST {
                    next = openat(current, component, flags)
                }
            }
            let failure = POSIXError.current()
            if current != self.descriptor { closeDescriptor(current) }
            guard next >= 0 else {
                throw ArchiveStorageError(
                    message: "could not create a directory for the extracted files",
                    cause: failure
                )
            }
            current = next
        }
        return current
    }
}

/// A file being extracted.
final class ExtractedFile {
    private var descriptor: Int32
    private let diskSpace: DiskSpaceGuard?

    init(descriptor: Int32, diskSpace: DiskSpaceGuard? = nil) {
        self.descriptor = descriptor
        self.diskSpace = diskSpace
    }

    deinit {
        if self.descriptor >= 0 { closeDescriptor(self.descriptor) }
    }

    /// Writes all of `bytes`. Throws ``DiskSpaceGuard/lowOnSpace`` when they would go below the
    /// reserve or the disk is full.
    func write(_ bytes: UnsafeRawBufferPointer) throws {
        guard let base = bytes.baseAddress else { return }
        try self.diskSpace?.checkRoom(for: UInt64(bytes.count))
        var done = 0
        while done < bytes.count {
            let result = writeDescriptor(self.descriptor, base + done, bytes.count - done)
            if result < 0 {
                if errno == EINTR { continue }
                if errno == ENOSPC || errno == EDQUOT { throw DiskSpaceGuard.lowOnSpace }
                throw ArchiveStorageError(message: "could not write an extracted file", cause: POSIXError.current())
            }
            done += result
        }
    }

    func close() throws {
        let result = closeDescriptor(self.descriptor)
        self.descriptor = -1
        guard result == 0 else {
            throw ArchiveStorageError(
                message: "could not finish writing an extracted file",
                cause: POSIXError.current()
            )
        }
    }
}

@discardableResult
private func closeDescriptor(_ descriptor: Int32) -> Int32 {
    close(descriptor)
}

private func writeDescriptor(_ descriptor: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
    write(descriptor, bytes, count)
}
