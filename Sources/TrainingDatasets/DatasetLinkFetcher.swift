import Foundation
public import TrainingCore

/// Brings the dataset named by `validate_model`'s `training_data_link` into the model's folder.
///
/// `http(s)://` links are downloaded under the guards of ``DatasetLinkPolicy``
/// (`DatasetLinkFetcher+HTTP.swift`). `file://` links are refused unless the operator names a
/// directory they may point into; the resolved path, symlinks followed, must stay inside it.
public struct DatasetLinkFetcher: Sendable {
    public var policy: DatasetLinkPolicy
    /// What ``DatasetLinkPolicy/downloadTimeout`` is measured on: the real clock, or a test's.
    let clock: any Clock<Duration>
    var fileLinkRoot: URL? { policy.fileLinkRoot }

    public init(policy: DatasetLinkPolicy = .defaults, clock: some Clock<Duration> = ContinuousClock()) {
        self.policy = policy
        self.clock = clock
    }

    /// Checks the link's form when `validate_model` is called, so a bad link fails the call
    /// itself rather than a background job.
    public func check(_ link: String) throws(TrainingError) {
        guard let url = URL(string: link), let scheme = url.scheme?.lowercased() else {
            throw .invalidArgument("training_data_link '\(link)' is not a URL. Give a link such as https://example.com/dataset.zip.")
        }
        switch scheme {
        case "http", "https":
            guard url.host()?.isEmpty == false else {
                throw .invalidArgument("training_data_link '\(link)' has no host. Give a link such as https://example.com/dataset.zip.")
            }
        case "file":
            guard fileLinkRoot != nil else {
                throw .invalidArgument("This service does not accept file:// dataset links. Upload the dataset with upload_and_validate instead.")
            }
        default:
            throw .invalidArgument(
                "training_data_link scheme '\(scheme)' is not supported: give an http:// or https:// link, or upload the dataset with upload_and_validate.")
        }
    }

    /// Copies the linked dataset into the model's `datasets/` folder, streaming, stopping at
    /// `maxBytes`. Problems with the link itself are ``DatasetRejected`` (the consumer can fix them).
    public func fetch(_ link: String, files: ModelFiles, modelID: String, maxBytes: UInt64?) async throws -> DatasetReference {
        try check(link)
        guard let url = URL(string: link) else { throw DatasetRejected("The dataset link is not a URL.") }
        if url.scheme?.lowercased() == "file" {
            return try copyFileLink(url, files: files, modelID: modelID, maxBytes: maxBytes)
        }
        return try await download(url, files: files, modelID: modelID, maxBytes: maxBytes)
    }

    /// ``check(_:)`` and the address guards, without any network traffic (not even DNS), for
    /// `validate_model_price`: a free call must not make the service contact a host the consumer
    /// names. A link whose host is written as an address (`http://10.0.0.1/`, `http://[::1]/`) that
    /// the guards refuse throws INVALID_ARGUMENT with the reason; a host name passes, to be resolved
    /// and checked when the dataset is downloaded.
    public func checkWithoutNetwork(_ link: String) throws(TrainingError) {
        try check(link)
        guard let url = URL(string: link), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
            let host = url.host()
        else { return }
        do {
            try NetworkAddressGuard(allowedHosts: policy.allowedHosts).checkWithoutResolving(host: host)
        } catch let rejected as DatasetRejected {
            throw .invalidArgument(rejected.reason)
        } catch {
            throw .internalError("The service's allowed_hosts setting is invalid: \(error)")
        }
    }

    /// The file a `file://` link names, symlinks followed, if it lies inside ``fileLinkRoot``.
    private func resolveFileLink(_ url: URL) throws -> URL {
        guard let root = fileLinkRoot?.resolvingSymlinksInPath().standardizedFileURL else {
            throw DatasetRejected("file:// dataset links are not accepted by this service.")
        }
        let source = url.resolvingSymlinksInPath().standardizedFileURL
        let rootPath = root.path(percentEncoded: false)
        guard source.path(percentEncoded: false).hasPrefix(rootPath.hasSuffix("/") ? rootPath : rootPath + "/") else {
            throw DatasetRejected("The dataset link points outside the directory this service reads file:// links from.")
        }
        return source
    }

    private func copyFileLink(_ url: URL, files: ModelFiles, modelID: String, maxBytes: UInt64?) throws -> DatasetReference {
        let source = try resolveFileLink(url)
        let sourcePath = source.path(percentEncoded: false)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: sourcePath, isDirectory: &isDirectory), !isDirectory.boolValue,
            let input = FileHandle(forReadingAtPath: sourcePath)
        else {
            throw DatasetRejected("The dataset link \(url.lastPathComponent) does not name a readable file.")
        }
        defer { try? input.close() }
        let size = (try? FileManager.default.attributesOfItem(atPath: sourcePath)[.size] as? NSNumber)?.uint64Value
        let writer = try DatasetFileWriter(files: files, modelID: modelID, expectedBytes: size.map { min($0, maxBytes ?? $0) })
        do {
            var total: UInt64 = 0
            while let chunk = try input.read(upToCount: 1 << 20), !chunk.isEmpty {
                total += UInt64(chunk.count)
                if let maxBytes, total > maxBytes {
                    throw DatasetRejected("The linked dataset is larger than this method's limit of \(maxBytes.mebibytesForMessage) (dataset_max_size_mb).")
                }
                try writer.write(chunk)
            }
            return try writer.commit(originalName: source.lastPathComponent)
        } catch {
            writer.discard()
            throw error
        }
    }
}
