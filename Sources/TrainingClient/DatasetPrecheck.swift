public import Foundation
public import TrainingCore
public import TrainingDatasets

/// Checks a dataset archive on the uploader's machine against a trainable method's `training.*`
/// options before any byte is sent, as the SDK does for zips (CONTRACT.md), so a bad dataset costs
/// neither a paid upload nor a round trip.
///
/// It runs the server's own archive checks (``ArchiveExtractor/inspect(archive:limits:)`` with the
/// limits ``DatasetExtraction/limits(for:)`` derives), which cover the SDK's (file count, sizes in
/// MiB failing when strictly greater, file types by the extension after the last dot) and go
/// further: every archive type, uncompressed sizes, unsafe paths, bombs. Passing it means the
/// server's limit checks will pass too; whether the trainer likes the content is still the
/// server's call.
///
/// ```swift
/// let result = try await DatasetPrecheck.check(file: url, options: method.options)
/// if !result.problems.isEmpty { print(result.problems.joined(separator: "\n")) }
/// ```
public enum DatasetPrecheck {
    /// What the check found.
    public struct Result: Sendable, Hashable {
        /// The archive format read from the content, or nil when it is not an archive.
        public var format: ArchiveFormat?
        /// Files in the archive and their uncompressed bytes, when the archive could be read.
        public var fileCount: Int?
        public var totalBytes: UInt64?
        /// Every rule of the server's the file breaks, in plain words; empty when the server's
        /// checks will pass.
        public var problems: [String]
        /// What the Python SDK's own check would say, when the check was run against a method's
        /// published options (``check(file:method:)``).
        public var sdk: SDKDatasetCheck.Verdict?

        public init(format: ArchiveFormat?, fileCount: Int?, totalBytes: UInt64?, problems: [String], sdk: SDKDatasetCheck.Verdict? = nil) {
            self.format = format
            self.fileCount = fileCount
            self.totalBytes = totalBytes
            self.problems = problems
            self.sdk = sdk
        }
    }

    /// Checks `file` against `method`'s published options twice: as the server will (``problems``)
    /// and as the Python SDK does before sending (``Result/sdk``). Throws only when the file cannot
    /// be read.
    public static func check(file: URL, method: PublishedTraining.Method) async throws -> Result {
        try await offPool {
            var result = try checkBlocking(file: file, options: method.options)
            result.sdk = try SDKDatasetCheck.check(file: file, rules: SDKDatasetCheck.Rules(method))
            return result
        }
    }

    /// Checks `file` against `options`. Throws only when the file cannot be read; a file that breaks
    /// the rules is a ``Result`` with problems.
    public static func check(file: URL, options: TrainingOptions) async throws -> Result {
        try await offPool { try checkBlocking(file: file, options: options) }
    }

    /// The archive walk blocks while it reads the whole file: it runs off the cooperative pool.
    static func offPool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread { continuation.resume(with: Swift.Result { try work() }) }
        }
    }

    static func checkBlocking(file: URL, options: TrainingOptions) throws -> Result {
        var problems: [String] = []
        let path = file.path(percentEncoded: false)
        let size = (try FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.uint64Value ?? 0
        if size == 0 { problems.append("The file is empty.") }
        if let max = options.datasetMaxBytes, size > max {
            problems.append("The file is \(size.mebibytesForMessage); this method accepts at most \(max.mebibytesForMessage) (dataset_max_size_mb).")
        }
        let types = options.datasetTypes
        let name = file.lastPathComponent.lowercased()
        if !types.isEmpty, !types.contains(where: { name.hasSuffix("." + $0) }) {
            problems.append(
                "The file name '\(file.lastPathComponent)' does not end in an accepted dataset type: \(types.joined(separator: ", ")) (dataset_type).")
        }
        let format: ArchiveFormat
        do {
            format = try ArchiveFormat.detect(at: file)
        } catch is ArchiveError {
            problems.append("The file is not a zip, tar or tar.gz archive.")
            return Result(format: nil, fileCount: nil, totalBytes: nil, problems: problems)
        }
        if !types.isEmpty, !types.contains(format.rawValue), !(format == .tarGzip && types.contains("tgz")) {
            problems.append("The file is a \(format.rawValue) archive; this method accepts only: \(types.joined(separator: ", ")) (dataset_type).")
        }
        do {
            let summary = try ArchiveExtractor.inspect(archive: file, limits: DatasetExtraction.limits(for: options))
            return Result(format: format, fileCount: summary.fileCount, totalBytes: summary.totalBytes, problems: problems)
        } catch let error as ArchiveError {
            problems += ArchiveViolation.grouped(error.violations)
            if error.truncated { problems.append("… and more problems not listed.") }
            return Result(format: format, fileCount: nil, totalBytes: nil, problems: problems)
        }
    }
}
