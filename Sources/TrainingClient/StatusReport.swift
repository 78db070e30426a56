public import TrainingCore

/// A model's status as `get_model_status` reports it, with the server's explanation.
public struct StatusReport: Sendable, Hashable, Codable {
    public var status: ModelStatus
    /// The `status-detail` trailer: why a model is ERRORED, how far its job has got, or the
    /// validation report; nil when the server sent none. Read from `status-detail-bin` (UTF-8) when
    /// present, since the ASCII trailer replaces other characters with `?`.
    public var detail: String?
    /// The `status-report-bin` trailer: a VALIDATED or READY_TO_USE model's report as structure,
    /// sent by this package's servers next to the text; nil from other servers.
    public var report: TrainingReport?

    public init(status: ModelStatus, detail: String? = nil, report: TrainingReport? = nil) {
        self.status = status
        self.detail = detail
        self.report = report
    }
}
