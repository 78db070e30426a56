import Foundation
public import Logging
public import TrainingCore
public import TrainingDatasets
public import TrainingJobs

/// The eight `training.Model` operations as plain async calls over domain types: a transport
/// (the gRPC handlers, a gateway, an admin page) only converts its messages and forwards here.
/// Every status change is saved before the call returns it, and any background work is queued in
/// the same step through ``JobScheduling``.
public final class TrainingWorkflow: Sendable {
    let registry: any ModelRegistry
    let catalog: TrainableMethodCatalog
    let bindings: [MethodName: TrainerBinding]
    let files: ModelFiles
    let links: DatasetLinkFetcher
    let policies: MethodPolicies
    let limits: ServerLimits
    let jobs: any JobScheduling
    let clock: WallClock
    let logger: Logger

    public init(
        registry: any ModelRegistry,
        catalog: TrainableMethodCatalog,
        bindings: [MethodName: TrainerBinding],
        files: ModelFiles,
        links: DatasetLinkFetcher,
        policies: MethodPolicies = .defaults,
        limits: ServerLimits = .defaults,
        jobs: any JobScheduling,
        clock: WallClock = .system,
        logger: Logger
    ) {
        self.registry = registry
        self.catalog = catalog
        self.bindings = bindings
        self.files = files
        self.links = links
        self.policies = policies
        self.limits = limits
        self.jobs = jobs
        self.clock = clock
        self.logger = logger
    }

    // MARK: create_model

    public func createModel(_ request: NewModelRequest, caller: String?) async throws -> ModelRecord {
        guard !request.grpcServiceName.isEmpty, !request.grpcMethodName.isEmpty else {
            throw TrainingError.invalidArgument(
                "grpc_service_name and grpc_method_name are required. Trainable methods of this service: \(catalog.trainableList)."
            )
        }
        try Self.checkFields(of: request)
        guard let method = catalog.method(service: request.grpcServiceName, method: request.grpcMethodName) else {
            throw TrainingError.invalidArgument(
                "\("\(request.grpcServiceName)/\(request.grpcMethodName)".quotedForMessage()) is not a trainable method of this service. Trainable methods: \(catalog.trainableList)."
            )
        }
        try await checkModelCapacity()
        try await checkQuota(method: method, addresses: request.addressList + [caller].compactMap { $0 })
        let model = ModelRecord(
            id: ModelIdentifier.generate(),
            method: method.name,
            name: request.name,
            description: request.description,
            addressList: request.addressList,
            isPublic: request.isPublic,
            organizationID: request.organizationID,
            serviceID: request.serviceID,
            groupID: request.groupID,
            createdBy: caller,
            now: clock.now()
        )
        try await registry.create(model)
        logger.info("model created", metadata: ["model_id": "\(model.id)", "method": "\(method.name)"])
        return model
    }

    // MARK: get_model_status

    /// The model, DELETED ones included; NOT_FOUND for an id this service never issued.
    public func status(of id: String) async throws -> ModelRecord {
        guard ModelIdentifier.isWellFormed(id), let model = try await registry.model(id: id) else {
            throw TrainingError.modelNotFound(id)
        }
        return model
    }

    // MARK: validate_model

    /// Validates the dataset at `link`, or, with an empty link, the dataset already uploaded. An
    /// ERRORED model is refused with its reason: only an upload brings it back.
    public func validate(_ id: String, link: String) async throws -> ModelStatus {
        var (model, binding) = try await liveModel(id, toDo: "validate")
        try await refuseIfErrored(model, binding: binding, toDo: "validate")
        if link.isEmpty {
            guard model.dataset != nil else {
                throw TrainingError.invalidArgument(
                    "training_data_link is empty and model '\(id)' has no uploaded dataset. Give a link, or upload the dataset with upload_and_validate."
                )
            }
        } else {
            try links.check(link)
        }
        try await checkJobCapacity()
        try model.beginValidation(dataset: nil, link: link.isEmpty ? nil : link, now: clock.now())
        return try await jobs.commit(model, queueing: .validate).status
    }

    // MARK: train_model

    public func train(_ id: String) async throws -> ModelStatus {
        var (model, binding) = try await liveModel(id, toDo: "train")
        try await refuseIfErrored(model, binding: binding, toDo: "train")
        try model.beginTraining(now: clock.now())
        try await checkJobCapacity()
        let saved = try await jobs.commit(model, queueing: .train)
        logger.info("training queued", metadata: ["model_id": "\(id)"])
        return saved.status
    }

    // MARK: delete_model

    /// Marks the model DELETED, cancels its jobs and removes its files. Deleting twice answers DELETED.
    public func delete(_ id: String) async throws -> ModelStatus {
        try rejectDefaultModel(id, toDo: "delete")
        for _ in 0..<5 {
            var model = try await status(of: id)
            if model.status == .deleted { return .deleted }
            model.markDeleted(now: clock.now())
            do {
                try await jobs.commit(model, queueing: nil)
            } catch let error as TrainingError where error.code == .aborted {
                continue  // a job's heartbeat saved progress meanwhile; read again
            }
            do {
                try files.removeAll(for: id)
            } catch {
                logger.warning(
                    "could not remove a deleted model's files",
                    metadata: ["model_id": "\(id)", "error": "\(error)"]
                )
            }
            logger.info("model deleted", metadata: ["model_id": "\(id)"])
            return .deleted
        }
        throw TrainingError(
            code: .aborted,
            message: "Model '\(id)' kept changing while being deleted; retry delete_model."
        )
    }

    // MARK: Shared checks

    /// A model that exists, is not DELETED, and whose method this service still trains.
    func liveModel(_ id: String, toDo action: String) async throws -> (ModelRecord, TrainerBinding) {
        try rejectDefaultModel(id, toDo: action)
        let model = try await status(of: id)
        guard model.status != .deleted else {
            throw TrainingError.notFound("Model '\(id)' was deleted. Create a new model with create_model.")
        }
        guard let binding = bindings[model.method] else {
            throw TrainingError.failedPrecondition(
                "This service no longer trains \(model.method); cannot \(action) model '\(id)'."
            )
        }
        return (model, binding)
    }

    /// Every free-form field within its bound, named with its limit when it is not; caller input
    /// is quoted only as a short prefix.
    private static func checkFields(of request: NewModelRequest) throws {
        let bounded: [(field: String, value: String, limit: Int)] = [
            ("grpc_service_name", request.grpcServiceName, NewModelLimits.methodNameCharacters),
            ("grpc_method_name", request.grpcMethodName, NewModelLimits.methodNameCharacters),
            ("name", request.name, NewModelLimits.nameCharacters),
            ("description", request.description, NewModelLimits.descriptionCharacters),
            ("organization_id", request.organizationID, NewModelLimits.idCharacters),
            ("service_id", request.serviceID, NewModelLimits.idCharacters),
            ("group_id", request.groupID, NewModelLimits.idCharacters),
        ]
        for (field, value, limit) in bounded where value.count > limit {
            throw TrainingError.invalidArgument(
                "\(field) is \(value.count) characters long; this service accepts at most \(limit). Shorten it."
            )
        }
        guard request.addressList.count <= NewModelLimits.addresses else {
            throw TrainingError.invalidArgument(
                "address_list has \(request.addressList.count) addresses; this service accepts at most \(NewModelLimits.addresses)."
            )
        }
        for (index, address) in request.addressList.enumerated() where !EthereumAddress.isWellFormed(address) {
            throw TrainingError.invalidArgument(
                "address_list[\(index)] \(address.quotedForMessage()) is not an Ethereum address (0x followed by 40 hexadecimal digits)."
            )
        }
    }
}

/// The shape of an Ethereum address; checksums are not verified (the daemon compares addresses
/// case-insensitively too).
public enum EthereumAddress {
    public static func isWellFormed(_ text: String) -> Bool {
        let utf8 = Array(text.utf8)
        guard utf8.count == 42, utf8[0] == UInt8(ascii: "0"),
            utf8[1] == UInt8(ascii: "x") || utf8[1] == UInt8(ascii: "X")
        else { return false }
        return utf8.dropFirst(2).allSatisfy { $0.isHexDigit }
    }
}

extension UInt8 {
    fileprivate var isHexDigit: Bool {
        (48...57).contains(self) || (65...70).contains(self) || (97...102).contains(self)
    }
}
