public import Foundation

/// Everything the service keeps about one model: what the daemon sent at creation, where the model
/// stands, and where its dataset and artifact live.
///
/// What the consumer gave at creation never changes. Everything else changes only through the
/// throwing `mutating` moves in `ModelRecord+Transitions.swift` (the setters are internal to this module), so an
/// illegal move is an error before anything is written. `version` guards concurrent writers: the
/// registry saves a record only if the stored version is the one it was read at.
public struct ModelRecord: Sendable, Hashable {
    public let id: String
    public internal(set) var status: ModelStatus
    public let method: MethodName
    public let name: String
    public let description: String
    /// Ethereum addresses that may use the model, as the consumer gave them.
    public let addressList: [String]
    public let isPublic: Bool
    public let organizationID: String
    public let serviceID: String
    public let groupID: String
    /// The `snet-user-address` of the call that created the model, when the caller sent one.
    public let createdBy: String?
    public let createdAt: Date
    public internal(set) var updatedAt: Date
    /// The dataset archive, relative to the data directory, once an upload or link has completed.
    public internal(set) var dataset: DatasetReference?
    /// The link the consumer asked to validate, if the dataset came from `validate_model`.
    public internal(set) var trainingDataLink: String?
    /// The extracted, validated dataset directory, relative to the data directory.
    public internal(set) var datasetDirectory: String?
    /// The trained model, relative to the data directory.
    public internal(set) var artifactPath: String?
    /// Why the model is ERRORED, or the latest report or progress of its job, as text.
    public internal(set) var statusDetail: String?
    /// The trainer's report when the model is VALIDATED or READY_TO_USE (its text is
    /// ``statusDetail``); nil otherwise.
    public internal(set) var report: TrainingReport?
    /// Optimistic-concurrency counter; bumped by every save.
    public internal(set) var version: Int

    public init(
        id: String,
        method: MethodName,
        name: String = "",
        description: String = "",
        addressList: [String] = [],
        isPublic: Bool = false,
        organizationID: String = "",
        serviceID: String = "",
        groupID: String = "",
        createdBy: String? = nil,
        now: Date
    ) {
        self.id = id
        self.status = .created
        self.method = method
        self.name = name
        self.description = description
        self.addressList = addressList
        self.isPublic = isPublic
        self.organizationID = organizationID
        self.serviceID = serviceID
        self.groupID = groupID
        self.createdBy = createdBy
        self.createdAt = now
        self.updatedAt = now
        self.version = 0
    }

    /// The lower-cased addresses quotas are counted against: the list plus the creator.
    public var quotaAddresses: Set<String> {
        Set((addressList + [createdBy].compactMap { $0 }).map { $0.lowercased() }.filter { !$0.isEmpty })
    }

    /// The state a registry stored; only storage rebuilds records this way.
    package struct StoredState: Sendable {
        package var status: ModelStatus
        package var updatedAt: Date
        package var dataset: DatasetReference?
        package var trainingDataLink: String?
        package var datasetDirectory: String?
        package var artifactPath: String?
        package var statusDetail: String?
        package var report: TrainingReport?
        package var version: Int

        package init(
            status: ModelStatus, updatedAt: Date, dataset: DatasetReference?, trainingDataLink: String?,
            datasetDirectory: String?, artifactPath: String?, statusDetail: String?, report: TrainingReport?, version: Int
        ) {
            self.status = status
            self.updatedAt = updatedAt
            self.dataset = dataset
            self.trainingDataLink = trainingDataLink
            self.datasetDirectory = datasetDirectory
            self.artifactPath = artifactPath
            self.statusDetail = statusDetail
            self.report = report
            self.version = version
        }
    }

    /// This record with the state a registry read back (the fields set at creation come from `self`).
    package func restoring(_ stored: StoredState) -> ModelRecord {
        var copy = self
        copy.status = stored.status
        copy.updatedAt = stored.updatedAt
        copy.dataset = stored.dataset
        copy.trainingDataLink = stored.trainingDataLink
        copy.datasetDirectory = stored.datasetDirectory
        copy.artifactPath = stored.artifactPath
        copy.statusDetail = stored.statusDetail
        // A node of the previous version updates the detail without the report: a report whose
        // text is not the detail any more is stale.
        copy.report = stored.report.flatMap { $0.text() == stored.statusDetail ? $0 : nil }
        copy.version = stored.version
        return copy
    }

    /// The record as a registry saved it: the same state under the version the save assigned.
    package func saved(asVersion version: Int) -> ModelRecord {
        var copy = self
        copy.version = version
        return copy
    }
}

/// A dataset archive stored for a model.
public struct DatasetReference: Sendable, Hashable {
    /// Path relative to the data directory.
    public var path: String
    /// The name the consumer gave the file.
    public var originalName: String
    public var byteCount: UInt64
    /// Lower-case hex SHA-256 of the archive.
    public var sha256: String

    public init(path: String, originalName: String, byteCount: UInt64, sha256: String) {
        self.path = path
        self.originalName = originalName
        self.byteCount = byteCount
        self.sha256 = sha256
    }
}
