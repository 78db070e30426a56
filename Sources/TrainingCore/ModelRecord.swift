public import Foundation

/// Everything the service keeps about one model: what the daemon sent at creation, where the model
/// stands, and where its dataset and artifact live.
///
/// Status changes are the throwing `mutating` moves in `ModelRecord+Transitions.swift`, so an illegal
/// move is an error before anything is written. `version` guards concurrent writers: the registry
/// saves a record only if the stored version is the one it was read at.
public struct ModelRecord: Sendable, Hashable {
    public var id: String
    public var status: ModelStatus
    public var method: MethodName
    public var name: String
    public var description: String
    /// Ethereum addresses that may use the model, as the consumer gave them.
    public var addressList: [String]
    public var isPublic: Bool
    public var organizationID: String
    public var serviceID: String
    public var groupID: String
    /// The `snet-user-address` of the call that created the model, when the caller sent one.
    public var createdBy: String?
    public var createdAt: Date
    public var updatedAt: Date
    /// The dataset archive, relative to the data directory, once an upload or link has completed.
    public var dataset: DatasetReference?
    /// The link the consumer asked to validate, if the dataset came from `validate_model`.
    public var trainingDataLink: String?
    /// The extracted, validated dataset directory, relative to the data directory.
    public var datasetDirectory: String?
    /// The trained model, relative to the data directory.
    public var artifactPath: String?
    /// Why the model is ERRORED, or the latest report or progress of its job.
    public var statusDetail: String?
    /// Optimistic-concurrency counter; bumped by every save.
    public var version: Int

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
