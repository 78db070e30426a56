import CWriteback
import Crypto
public import Foundation
public import TrainingCore

/// Streams a dataset to a temporary file under the model's `uploads/` folder, hashing as it goes,
/// then moves it into `datasets/` in one rename. Until ``commit(originalName:)`` nothing is visible
/// where the rest of the service looks; ``discard()`` (or a failed commit) leaves no file behind.
///
/// Every write first asks the files' ``DiskSpaceGuard``: one that would go below the free-space
/// reserve (or that the disk refuses as full) throws RESOURCE_EXHAUSTED and removes the partial file.
///
/// Every ``writebackInterval`` bytes the writer asks the kernel to start writing them to disk, so
/// the disk works while the rest arrives and the fsync at commit has little left to wait for
/// (otherwise a whole upload sits dirty in the page cache until then).
public final class DatasetFileWriter {
    /// Bytes written between two requests to start writeback.
    static let writebackInterval: UInt64 = 8 << 20

    private let files: ModelFiles
    private let modelID: String
    private let temporaryURL: URL
    private let handle: FileHandle
    private var hasher = SHA256()
    private var byteCount: UInt64 = 0
    /// Where the bytes not yet handed to writeback start.
    private var writebackOffset: UInt64 = 0
    private var isClosed = false

    /// `expectedBytes`: the whole file's size when known (an upload's file_size, a download's
    /// Content-Length), refused at once if it cannot fit above the reserve, before anything is created.
    public init(files: ModelFiles, modelID: String, expectedBytes: UInt64? = nil) throws {
        if let expectedBytes { try files.diskSpace.checkRoom(for: expectedBytes) }
        self.files = files
        self.modelID = modelID
        self.temporaryURL = try files.newPath(for: modelID, in: .uploads, suffix: ".part")
        guard FileManager.default.createFile(atPath: temporaryURL.path(percentEncoded: false), contents: nil) else {
            throw TrainingError.internalError("Could not store the upload.")
        }
        self.handle = try FileHandle(forWritingTo: temporaryURL)
    }

    deinit {
        if !isClosed { discard() }
    }

    public func write(_ data: Data) throws {
        do {
            try files.diskSpace.checkRoom(for: UInt64(data.count))
            try handle.write(contentsOf: data)
        } catch {
            discard()
            throw DiskSpaceGuard.isDiskFull(error) ? DiskSpaceGuard.lowOnSpace : error
        }
        hasher.update(data: data)
        byteCount += UInt64(data.count)
        if byteCount - writebackOffset >= Self.writebackInterval {
            // Advisory: a failure here costs only speed; commit's fsync is what makes the file durable.
            _ = snet_start_writeback(handle.fileDescriptor, Int64(writebackOffset), Int64(byteCount - writebackOffset))
            writebackOffset = byteCount
        }
    }

    /// Flushes to disk and moves the file into `datasets/`, keeping `originalName`'s archive
    /// extension for the humans who look at the folder.
    public func commit(originalName: String) throws -> DatasetReference {
        try handle.synchronize()
        try handle.close()
        isClosed = true
        let suffix = Self.archiveSuffix(of: originalName)
        let destination = try files.newPath(for: modelID, in: .datasets, suffix: suffix)
        do {
            try FileManager.default.moveItem(at: temporaryURL, to: destination)
        } catch {
            try? FileManager.default.removeItem(at: temporaryURL)
            throw error
        }
        let digest = hasher.finalize().map { String(format: "%02x", $0) }.joined()
        return DatasetReference(
            path: files.relativePath(of: destination),
            originalName: originalName,
            byteCount: byteCount,
            sha256: digest
        )
    }

    public func discard() {
        if !isClosed {
            try? handle.close()
            isClosed = true
        }
        try? FileManager.default.removeItem(at: temporaryURL)
    }

    /// `.tar.gz` for `x.tar.gz` or `x.tgz`, `.zip` for `x.zip` (the archive formats' own names);
    /// otherwise the last extension, where only letters and digits survive.
    static func archiveSuffix(of name: String) -> String {
        if let format = ArchiveFormat(fileName: name) { return "." + format.rawValue }
        let lower = name.lowercased()
        let ext = lower.split(separator: ".").last.map(String.init) ?? ""
        let clean = ext.filter { $0.isASCII && ($0.isLetter || $0.isNumber) }
        return clean.isEmpty || clean == lower ? ".dataset" : "." + clean
    }
}
