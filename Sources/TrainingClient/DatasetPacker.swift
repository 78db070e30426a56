public import Foundation
import TrainingCore
import TrainingDatasets
import ZIPFoundation

/// Packs a dataset folder into a zip that both the Python SDK and the server accept: file entries
/// only (no folder entries, which the SDK refuses), hidden files and macOS metadata left out,
/// extensions in the case `dataset_files_type` writes them, and the method's limits and layout
/// checked before and after. Files are streamed into the archive in pieces, never held whole.
///
/// ```swift
/// let packed = try await DatasetPacker.pack(folder: words, to: zip, method: method)
/// print("\(packed.fileCount) files, \(packed.archiveBytes) bytes")
/// ```
public enum DatasetPacker {
    /// What was packed.
    public struct Packed: Sendable, Hashable {
        public var archive: URL
        public var fileCount: Int
        /// The files' bytes, uncompressed.
        public var totalBytes: UInt64
        /// The zip's size.
        public var archiveBytes: UInt64
        /// Files stored under another name: `yes/A.WAV -> yes/A.wav`.
        public var renamed: [String]
        /// What was left out, and why.
        public var skipped: [String]
    }

    /// The folder cannot be packed into an archive the method accepts; nothing was written.
    public struct Refused: Error, Sendable {
        public var problems: [String]
    }

    /// How many problems a refusal lists; the rest are counted.
    static let maxListedProblems = 50
    /// Files packed at most when the method sets no count limit.
    static let maxFilesWithoutLimit = 100_000

    /// Packs every regular file under `folder` into a zip at `destination` (replaced if it exists;
    /// written beside it under a temporary name and renamed once complete and checked). With a
    /// `method`, its file types, limits and layout are enforced and the result is checked as the
    /// SDK and the server will check it.
    public static func pack(folder: URL, to destination: URL, method: PublishedTraining.Method?) async throws -> Packed {
        try await DatasetPrecheck.offPool { try packBlocking(folder: folder, to: destination, method: method) }
    }

    static func packBlocking(folder: URL, to destination: URL, method: PublishedTraining.Method?) throws -> Packed {
        let limit = method.map { $0.datasetMaxCountFiles > 0 ? Int(clamping: $0.datasetMaxCountFiles) : maxFilesWithoutLimit } ?? maxFilesWithoutLimit
        let walk = DatasetFolderWalk(root: folder, maxFiles: limit)
        var problems = walk.problems
        if walk.stoppedAtLimit {
            problems.append(
                method?.datasetMaxCountFiles ?? 0 > 0
                    ? "the folder has more than \(limit) files; \(method?.fullName ?? "") accepts at most \(limit) (dataset_max_count_files)"
                    : "the folder has more than \(limit) files")
        } else if walk.files.isEmpty {
            problems.append("the folder has no files to pack")
        }
        var entries: [(name: String, file: DatasetFolderWalk.File)] = []
        var renamed: [String] = []
        let types = method.map { SDKDatasetCheck.Rules($0).fileTypes } ?? []
        for file in walk.files {
            var components = file.components
            let path = components.joined(separator: "/")
            let fileExtension = PythonPath.extension(of: path)
            if !types.isEmpty, !types.contains(fileExtension) {
                if let fixed = types.first(where: { $0.lowercased() == fileExtension.lowercased() }) {
                    let last = components.removeLast()
                    components.append(String(last.dropLast(fileExtension.count)) + fixed)
                    renamed.append("\(path) -> \(components.joined(separator: "/"))")
                } else {
                    problems.append("\(path): not a \(types.joined(separator: ", ")) file (dataset_files_type)")
                    continue
                }
            }
            if let method, SDKDatasetCheck.exceeds(file.size, mebibytes: method.datasetMaxSizeSingleFileMB) {
                problems.append(
                    "\(path): \(file.size.mebibytesForMessage); each file may have at most \(method.datasetMaxSizeSingleFileMB) MiB (dataset_max_size_single_file_mb)"
                )
            }
            entries.append((components.joined(separator: "/"), file))
        }
        let names = entries.map(\.name)
        for duplicate in Dictionary(grouping: names, by: { $0 }).filter({ $0.value.count > 1 }).keys.sorted() {
            problems.append("two files would be stored as \(duplicate); rename one")
        }
        let totalBytes = walk.files.reduce(UInt64(0)) { $0 &+ $1.size }
        if let method, SDKDatasetCheck.exceeds(totalBytes, mebibytes: method.datasetMaxSizeMB) {
            problems.append(
                "the files hold \(totalBytes.mebibytesForMessage); \(method.fullName) accepts at most \(method.datasetMaxSizeMB) MiB (dataset_max_size_mb)")
        }
        if let method, let layout = DatasetLayout(description: method.datasetDescription) {
            let misplaced = layout.misplaced(entries.map { $0.name.split(separator: "/").map(String.init) })
            if !misplaced.isEmpty {
                let shown = misplaced.prefix(3).map { $0.joined(separator: "/") }.joined(separator: ", ")
                problems.append(
                    "\(misplaced.count) file(s) are not where \(method.fullName)'s dataset_description asks (\(layout.pattern), relative to the folder packed): \(shown)\(misplaced.count > 3 ? ", …" : "")"
                )
            }
        }
        guard problems.isEmpty else { throw Refused(problems: listed(problems)) }

        let temporary = destination.deletingLastPathComponent().appending(path: ".partial-\(UUID().uuidString)-\(destination.lastPathComponent)")
        do {
            try write(entries, to: temporary)
            let archiveBytes = (try FileManager.default.attributesOfItem(atPath: temporary.path(percentEncoded: false))[.size] as? NSNumber)?.uint64Value ?? 0
            if let method {
                // The proof: what was written passes the SDK's check and the server's.
                var after = try DatasetPrecheck.checkBlocking(file: temporary, options: method.options).problems
                let sdk = try SDKDatasetCheck.check(file: temporary, rules: SDKDatasetCheck.Rules(method))
                after += sdk.problems + (sdk.error.map { [$0] } ?? [])
                guard after.isEmpty else { throw Refused(problems: listed(after)) }
            }
            if FileManager.default.fileExists(atPath: destination.path(percentEncoded: false)) {
                try FileManager.default.removeItem(at: destination)
            }
            try FileManager.default.moveItem(at: temporary, to: destination)
            return Packed(
                archive: destination, fileCount: entries.count, totalBytes: totalBytes, archiveBytes: archiveBytes, renamed: renamed,
                skipped: walk.skipped
            )
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw error
        }
    }

    private static func listed(_ problems: [String]) -> [String] {
        problems.count <= maxListedProblems
            ? problems : Array(problems.prefix(maxListedProblems)) + ["… and \(problems.count - maxListedProblems) more"]
    }

    /// Streams each file into the archive, deflated, as a file entry with its modification time.
    private static func write(_ entries: [(name: String, file: DatasetFolderWalk.File)], to url: URL) throws {
        let archive = try Archive(url: url, accessMode: .create)
        for (name, file) in entries {
            let handle = try FileHandle(forReadingFrom: file.url)
            defer { try? handle.close() }
            let modified = (try? FileManager.default.attributesOfItem(atPath: file.url.path(percentEncoded: false))[.modificationDate] as? Date) ?? Date()
            try archive.addEntry(
                with: name, type: .file, uncompressedSize: Int64(file.size), modificationDate: modified, compressionMethod: .deflate,
                provider: { position, size in
                    try handle.seek(toOffset: UInt64(position))
                    return try handle.read(upToCount: size) ?? Data()
                }
            )
        }
    }
}
