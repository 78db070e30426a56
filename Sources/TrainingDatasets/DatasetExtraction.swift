public import Foundation
public import TrainingCore

/// Turns a stored archive into the directory a trainer validates, enforcing the method's declared
/// limits on the archive's content (the daemon and the SDK's client-side check cannot be relied on).
public enum DatasetExtraction {
    /// Extracts `dataset` into a fresh `extracted/` folder of the model and returns it. A dataset
    /// that breaks the method's rules throws ``DatasetRejected`` listing every problem; nothing is
    /// left on disk then. An archive whose only top-level entry is a folder of folders (what
    /// `zip -r mydata.zip mydata/` makes) is returned without that wrapper: the trainer sees the
    /// folders inside it.
    public static func extract(
        _ dataset: DatasetReference,
        method: TrainableMethod,
        files: ModelFiles,
        modelID: String
    ) throws -> URL {
        let archive = files.url(forRelativePath: dataset.path)
        let format: ArchiveFormat
        do {
            format = try ArchiveFormat.detect(at: archive)
        } catch let error as ArchiveError {
            throw DatasetRejected(Self.describe(error, prefix: "The dataset is not a readable archive"))
        }
        let allowed = method.options.datasetTypes
        guard allowed.isEmpty || allowed.contains(format.rawValue) || (format == .tarGzip && allowed.contains("tgz")) else {
            throw DatasetRejected(
                "The dataset is a \(format.rawValue) archive, but this method accepts only: \(allowed.joined(separator: ", ")) (dataset_type).")
        }
        let destination = try files.newPath(for: modelID, in: .extracted, suffix: "")
        try FileManager.default.createDirectory(at: destination, withIntermediateDirectories: true)
        do {
            _ = try ArchiveExtractor.extract(archive: archive, into: destination, limits: limits(for: method.options), diskSpace: files.diskSpace)
            try DatasetWrapperFolder.remove(from: destination)
            return destination
        } catch let error as ArchiveError {
            try? FileManager.default.removeItem(at: destination)
            throw DatasetRejected(Self.describe(error, prefix: "The dataset breaks this method's rules"))
        } catch {
            try? FileManager.default.removeItem(at: destination)
            throw error
        }
    }

    /// The method's `training.*` options as archive limits (0 and empty mean no limit, as in the SDK).
    public static func limits(for options: TrainingOptions) -> ArchiveLimits {
        ArchiveLimits(
            maxTotalBytes: options.datasetMaxBytes ?? 0,
            maxFileCount: Int(clamping: options.datasetMaxCountFiles),
            maxSingleFileBytes: options.singleFileMaxBytes ?? 0,
            allowedFileExtensions: Set(options.datasetFilesTypes)
        )
    }

    static func describe(_ error: ArchiveError, prefix: String) -> String {
        let items = ArchiveViolation.grouped(error.violations)
        let more = error.truncated ? "; and more" : ""
        return "\(prefix): " + items.joined(separator: "; ") + more + "."
    }
}
