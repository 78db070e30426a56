public import Foundation

/// What the dashboard shows, read from the registry by the server that serves it. Plain values, so
/// the dashboard needs no storage types and the templates read them directly.
public protocol DashboardDataSource: Sendable {
    /// Models by status and method, job counts, recent errors and recent models.
    func overview() async throws -> DashboardOverview
    /// One model's record, status history, jobs and reports; nil if there is no such model.
    func model(id: String) async throws -> DashboardModel?
}

/// A labelled count (models in a status, of a method, ...).
public struct DashboardCount: Sendable, Hashable {
    public var label: String
    public var count: Int
    public init(label: String, count: Int) {
        self.label = label
        self.count = count
    }
}

/// A model as listed on the overview.
public struct DashboardModelRow: Sendable, Hashable {
    public var id: String
    public var name: String
    public var method: String
    public var status: String
    public var detail: String
    public var updatedAt: Date
    public init(id: String, name: String, method: String, status: String, detail: String, updatedAt: Date) {
        self.id = id
        self.name = name
        self.method = method
        self.status = status
        self.detail = detail
        self.updatedAt = updatedAt
    }
}

/// The overview page's figures.
public struct DashboardOverview: Sendable {
    public var modelsByStatus: [DashboardCount]
    public var modelsByMethod: [DashboardCount]
    public var jobsQueued: Int
    public var jobsRunning: Int
    public var jobsFailed: Int
    /// ERRORED models, most recent first, with their reasons.
    public var recentErrors: [DashboardModelRow]
    /// Models most recently changed.
    public var recentModels: [DashboardModelRow]

    public init(
        modelsByStatus: [DashboardCount], modelsByMethod: [DashboardCount], jobsQueued: Int, jobsRunning: Int,
        jobsFailed: Int, recentErrors: [DashboardModelRow], recentModels: [DashboardModelRow]
    ) {
        self.modelsByStatus = modelsByStatus
        self.modelsByMethod = modelsByMethod
        self.jobsQueued = jobsQueued
        self.jobsRunning = jobsRunning
        self.jobsFailed = jobsFailed
        self.recentErrors = recentErrors
        self.recentModels = recentModels
    }
}

/// A status the model entered, and when.
public struct DashboardStatusEvent: Sendable, Hashable {
    public var status: String
    public var at: Date
    public var detail: String
    public init(status: String, at: Date, detail: String) {
        self.status = status
        self.at = at
        self.detail = detail
    }
}

/// One validation or training job of a model.
public struct DashboardJob: Sendable, Hashable {
    public var kind: String
    public var state: String
    public var attempts: Int
    public var worker: String
    public var createdAt: Date
    public init(kind: String, state: String, attempts: Int, worker: String, createdAt: Date) {
        self.kind = kind
        self.state = state
        self.attempts = attempts
        self.worker = worker
        self.createdAt = createdAt
    }
}

/// A square matrix of counts between labels: row = true label, column = predicted label.
public struct DashboardConfusion: Sendable, Hashable {
    public var labels: [String]
    public var counts: [[Int]]
    public init(labels: [String], counts: [[Int]]) {
        self.labels = labels
        self.counts = counts
    }
}

/// The model page's content.
public struct DashboardModel: Sendable {
    public var row: DashboardModelRow
    public var fields: [DashboardCount.Field]
    public var history: [DashboardStatusEvent]
    public var jobs: [DashboardJob]
    /// Named figures from the validation and training reports (accuracy, per-word results, sizes).
    public var figures: [DashboardCount.Field]
    public var confusion: DashboardConfusion?

    public init(
        row: DashboardModelRow, fields: [DashboardCount.Field], history: [DashboardStatusEvent], jobs: [DashboardJob],
        figures: [DashboardCount.Field], confusion: DashboardConfusion?
    ) {
        self.row = row
        self.fields = fields
        self.history = history
        self.jobs = jobs
        self.figures = figures
        self.confusion = confusion
    }
}

extension DashboardCount {
    /// A named text value (a record field, a report figure).
    public struct Field: Sendable, Hashable {
        public var name: String
        public var value: String
        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }
}
