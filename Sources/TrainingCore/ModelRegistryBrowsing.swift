public import Foundation

/// Read-only queries across the registry, for the provider dashboard: how many models and jobs are
/// in each state, the models most recently changed, a model's jobs and its status history. Not on
/// any call path the daemon drives, so none of it needs to be as cheap as `get_model_status`.
///
/// Implementations: `SQLModelRegistry` (SQLite, PostgreSQL) and ``InMemoryModelRegistry``.
public protocol ModelRegistryBrowsing: Sendable {
    /// Models by method and status, DELETED included.
    func modelCounts() async throws -> [ModelCount]

    /// Jobs by kind and state.
    func jobCounts() async throws -> [JobCount]

    /// Up to `limit` models, most recently updated first; only those in `status` when given.
    func recentModels(limit: Int, status: ModelStatus?) async throws -> [ModelRecord]

    /// A model's jobs, oldest first.
    func jobs(modelID: String) async throws -> [TrainingJob]

    /// The statuses a model entered, oldest first, with the time and the detail at that moment.
    func statusHistory(modelID: String) async throws -> [ModelStatusEvent]
}

/// How many models of a method are in a status.
public struct ModelCount: Sendable, Hashable {
    public var method: MethodName
    public var status: ModelStatus
    public var count: Int
    public init(method: MethodName, status: ModelStatus, count: Int) {
        self.method = method
        self.status = status
        self.count = count
    }
}

/// How many jobs of a kind are in a state.
public struct JobCount: Sendable, Hashable {
    public var kind: TrainingJob.Kind
    public var state: TrainingJob.State
    public var count: Int
    public init(kind: TrainingJob.Kind, state: TrainingJob.State, count: Int) {
        self.kind = kind
        self.state = state
        self.count = count
    }
}

/// A status a model entered, with its latest detail and, for VALIDATED and READY_TO_USE, the
/// trainer's report.
public struct ModelStatusEvent: Sendable, Hashable {
    public var status: ModelStatus
    public var at: Date
    public var detail: String?
    public var report: TrainingReport?
    public init(status: ModelStatus, at: Date, detail: String?, report: TrainingReport? = nil) {
        self.status = status
        self.at = at
        self.detail = detail
        self.report = report
    }
}
