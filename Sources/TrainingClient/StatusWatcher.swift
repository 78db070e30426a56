public import GRPCCore
public import TrainingCore

/// Polls `get_model_status` until the model is READY_TO_USE, ERRORED or DELETED, as a consumer's
/// tool waits on the daemon, reporting every change of status or detail on the way.
public struct StatusWatcher<Transport: ClientTransport, C: Clock>: Sendable where C.Duration == Duration {
    public let models: ModelClient<Transport>
    /// Time between two polls. The daemon polls every 3 seconds; one second is kinder to a person watching.
    public var interval: Duration
    /// Statuses to stop at besides READY_TO_USE, ERRORED and DELETED (e.g. VALIDATED, to train next).
    public var alsoStopAt: Set<ModelStatus> = []
    /// Statuses that only the consumer's next call changes (CREATED waits for an upload), with how
    /// long to keep watching a model that stays in one before giving up with ``TimedOut``.
    public var idleLimits: [ModelStatus: Duration] = [:]
    private let clock: C

    public init(models: ModelClient<Transport>, interval: Duration = .seconds(1), clock: C) {
        self.models = models
        self.interval = interval
        self.clock = clock
    }

    /// Why a watch ended without a final status.
    public struct TimedOut: Error, Sendable {
        public var last: StatusReport
        /// Set when the model stayed in a status of ``idleLimits`` too long, rather than the whole watch timing out.
        public var idle: Bool = false
    }

    /// Polls until a final status and returns it. `onChange` gets the first report and every report
    /// that differs from the one before. Throws ``TimedOut`` once `timeout` has passed (nil: never),
    /// and the server's `RPCError` if a poll fails.
    public func watch(
        modelID: String,
        timeout: Duration? = nil,
        onChange: (StatusReport) -> Void = { _ in }
    ) async throws -> StatusReport {
        let deadline = timeout.map { clock.now.advanced(by: $0) }
        var last: StatusReport?
        var statusSince = clock.now
        while true {
            let report = try await models.status(modelID: modelID)
            if report != last { onChange(report) }
            if report.status != last?.status { statusSince = clock.now }
            last = report
            if report.status.isFinalForWatching || alsoStopAt.contains(report.status) { return report }
            if let deadline, clock.now.advanced(by: interval) > deadline { throw TimedOut(last: report) }
            if let idle = idleLimits[report.status], clock.now.advanced(by: interval) > statusSince.advanced(by: idle) {
                throw TimedOut(last: report, idle: true)
            }
            try await clock.sleep(for: interval)
        }
    }
}

extension StatusWatcher where C == ContinuousClock {
    public init(models: ModelClient<Transport>, interval: Duration = .seconds(1)) {
        self.init(models: models, interval: interval, clock: ContinuousClock())
    }
}
