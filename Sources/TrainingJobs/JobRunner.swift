import Foundation
public import Logging
public import ServiceLifecycle
import Synchronization
public import TrainingCore

/// Runs validation and training jobs from the registry, at most ``JobRunnerConfiguration/concurrency``
/// at a time, as a `Service` of the server's `ServiceGroup`.
///
/// Every job is claimed under a lease that a heartbeat renews; a node that dies stops renewing and
/// any node's periodic recovery re-queues the job. At start-up the runner first re-queues the jobs
/// its own previous run left, so a crash loses no work and leaves no model VALIDATING or TRAINING
/// for good. Deleting a model or replacing its dataset cancels its job, here through
/// ``commit(_:queueing:)`` and on other nodes when their next heartbeat finds the job cancelled.
/// Every wait (poll, heartbeat, lease recovery, time limit, purge) sleeps on `sleeper`, so tests
/// move time with a clock of their own instead of waiting.
public final class JobRunner: Service, JobScheduling {
    private let registry: any ModelRegistry
    private let handler: any JobHandler
    private let configuration: JobRunnerConfiguration
    private let clock: WallClock
    private let sleeper: any Clock<Duration>
    private let logger: Logger
    private let wake = WakeSignal()
    private let executor: WorkerThreadPool
    private let running = Mutex<[String: RunningJob]>([:])
    private let stopping = Mutex(false)

    private struct RunningJob {
        var modelID: String
        var task: Task<Void, any Error>
    }

    public init(
        registry: any ModelRegistry,
        handler: any JobHandler,
        configuration: JobRunnerConfiguration = .defaults,
        clock: WallClock = .system,
        sleeper: some Clock<Duration> = ContinuousClock(),
        logger: Logger
    ) {
        self.sleeper = sleeper
        self.registry = registry
        self.handler = handler
        self.configuration = configuration
        self.executor = configuration.executor ?? .sharedJobs
        self.clock = clock
        self.logger = logger
    }

    /// Jobs running on this node now.
    package var runningJobCount: Int { running.withLock { $0.count } }

    public func commit(_ model: ModelRecord, queueing kind: TrainingJob.Kind?) async throws -> ModelRecord {
        let job = kind.map { TrainingJob(id: UUID().uuidString, modelID: model.id, kind: $0, now: clock.now()) }
        let saved = try await registry.save(model, enqueueing: job)
        // The save cancelled the model's older jobs in the registry; stop the one running here now
        // rather than at its next heartbeat. The new job may already have been claimed: spare it.
        let superseded = running.withLock { jobs in
            jobs.filter { $0.key != job?.id && $0.value.modelID == model.id }.map(\.value.task)
        }
        superseded.forEach { $0.cancel() }
        if job != nil { wake.signal() }
        return saved
    }

    public func run() async throws {
        let recovered = try await registry.recoverJobs(
            now: clock.now(), maxAttempts: configuration.maxAttempts, orphanedBy: configuration.workerName
        )
        if !recovered.isEmpty {
            logger.notice("re-queued jobs left by a previous run", metadata: ["jobs": "\(recovered)"])
        }
        await withDiscardingTaskGroup { group in
            group.addTask { await self.recoverPeriodically() }
            group.addTask { await self.purgeDeletedPeriodically() }
            await withGracefulShutdownHandler {
                await self.claimLoop(group: &group)
            } onGracefulShutdown: {
                self.stopping.withLock { $0 = true }
                self.wake.signal()
            }
            group.cancelAll()
        }
        // Graceful shutdown: the running jobs were cancelled with the group; hand them back to the
        // queue without counting the interrupted attempt, for this node's next start or another node.
        // (After a crash nothing runs here: the next start's recovery re-queues them, counted.)
        do {
            let released = try await registry.releaseJobs(worker: configuration.workerName)
            if !released.isEmpty { logger.notice("released running jobs at shutdown", metadata: ["jobs": "\(released)"]) }
        } catch {
            logger.warning("could not release running jobs at shutdown", metadata: ["error": "\(error)"])
        }
    }

    private func claimLoop(group: inout DiscardingTaskGroup) async {
        while !Task.isCancelled, !stopping.withLock({ $0 }) {
            let hasSlot = running.withLock { $0.count < configuration.concurrency }
            var claimed: TrainingJob?
            if hasSlot {
                do {
                    claimed = try await registry.claimJob(
                        worker: configuration.workerName, leaseExpiresAt: clock.now().addingTimeInterval(configuration.lease.timeInterval)
                    )
                } catch {
                    logger.error("claiming a job failed", metadata: ["error": "\(error)"])
                }
            }
            guard let job = claimed else {
                await wake.wait(timeout: configuration.pollInterval, clock: sleeper)
                continue
            }
            start(job, group: &group)
        }
    }

    private func start(_ job: TrainingJob, group: inout DiscardingTaskGroup) {
        let jobLogger = logger.with(["job_id": "\(job.id)", "model_id": "\(job.modelID)", "job_kind": "\(job.kind.rawValue)"])
        let progress = ProgressBox()
        let context = JobContext(worker: configuration.workerName, progress: ProgressReporter { progress.set($0) })
        // An unstructured task, so ``commit(_:queueing:)`` can cancel this one job; the group child
        // awaits it and forwards the runner's own cancellation.
        let task = Task(executorPreference: executor) { [handler] in try await handler.run(job, context: context) }
        running.withLock { $0[job.id] = RunningJob(modelID: job.modelID, task: task) }
        jobLogger.info("job started", metadata: ["attempt": "\(job.attempts)"])
        let timedOut = SharedFlag()  // raised by the time limit, not by the job's owner
        let ended = JobMetrics.started(job.kind)
        group.addTask {
            defer { ended() }
            await withDiscardingTaskGroup { inner in
                inner.addTask { await self.heartbeat(job, task: task, progress: progress, logger: jobLogger) }
                inner.addTask {
                    // The job's time limit: stop it, and say why below.
                    guard (try? await self.sleeper.sleep(for: self.configuration.maxRunTime)) != nil else { return }
                    timedOut.raise()
                    task.cancel()
                }
                do {
                    try await withTaskCancellationHandler {
                        try await task.value
                    } onCancel: {
                        task.cancel()
                    }
                    jobLogger.info("job ended")
                } catch is CancellationError where timedOut.isRaised {
                    JobMetrics.stopped(job.kind, timedOut: true)
                    await self.failOverTime(job, logger: jobLogger)
                } catch is CancellationError {
                    JobMetrics.stopped(job.kind, timedOut: false)
                    jobLogger.notice("job cancelled")
                } catch {
                    jobLogger.error("job failed", metadata: ["error": "\(error)"])
                }
                inner.cancelAll()
            }
            self.running.withLock { _ = $0.removeValue(forKey: job.id) }
            self.wake.signal()
        }
    }

    /// Ends a job stopped at its time limit: its model goes ERRORED with the limit as the reason.
    private func failOverTime(_ job: TrainingJob, logger: Logger) async {
        let limit = configuration.maxRunTime.components.seconds
        let work = job.kind == .validate ? "Validation" : "Training"
        let reason =
            "\(work) did not finish within this service's time limit of \(Self.describe(seconds: limit)) and was stopped. "
            + (job.kind == .validate ? "Upload a smaller dataset." : "Train on a smaller dataset, or contact the service provider.")
        do {
            let now = clock.now()
            let failed = try await registry.finishJob(job, worker: configuration.workerName, state: .failed) { model -> Bool? in
                guard model.status.isBusy else { return nil }
                try model.fail(reason: reason, now: now)
                return true
            }
            if failed == true { logger.notice("job stopped at its time limit", metadata: ["limit_seconds": "\(limit)"]) }
        } catch {
            logger.warning("could not record a job's time-out", metadata: ["error": "\(error)"])
        }
    }

    private static func describe(seconds: Int64) -> String {
        seconds % 60 == 0 && seconds >= 60 ? "\(seconds / 60) minute\(seconds == 60 ? "" : "s")" : "\(seconds) second\(seconds == 1 ? "" : "s")"
    }

    /// Renews the lease every second (or every third of it, if shorter), publishes progress, and cancels the job if the registry
    /// says it is no longer ours (the model was deleted or given new work).
    private func heartbeat(_ job: TrainingJob, task: Task<Void, any Error>, progress: ProgressBox, logger: Logger) async {
        // Progress shows within a second; the lease is renewed on the same beat (a cheap write).
        let interval = min(configuration.lease / 3, .seconds(1))
        var published: String?
        while !Task.isCancelled {
            do {
                try await sleeper.sleep(for: interval)
                let stillOurs = try await registry.renewLease(
                    jobID: job.id, worker: configuration.workerName, leaseExpiresAt: clock.now().addingTimeInterval(configuration.lease.timeInterval)
                )
                JobMetrics.leaseRenewed(stillOurs)
                guard stillOurs else {
                    logger.notice("job no longer held by this worker; cancelling it")
                    task.cancel()
                    return
                }
                if let text = progress.get(), text != published, var model = try await registry.model(id: job.modelID) {
                    try model.report(progress: text, now: clock.now())
                    _ = try await registry.save(model, enqueueing: nil)
                    published = text
                }
            } catch is CancellationError {
                return
            } catch {
                logger.warning("heartbeat failed", metadata: ["error": "\(error)"])
            }
        }
    }

    private func purgeDeletedPeriodically() async {
        guard let retention = configuration.deletedModelRetention else { return }
        let interval = min(retention, .seconds(3600))
        while !Task.isCancelled {
            do {
                let purged = try await registry.purgeDeleted(updatedBefore: clock.now().addingTimeInterval(-retention.timeInterval))
                if purged > 0 { logger.info("purged deleted models past their retention", metadata: ["models": "\(purged)"]) }
                try await sleeper.sleep(for: interval)
            } catch is CancellationError {
                return
            } catch {
                logger.warning("purging deleted models failed", metadata: ["error": "\(error)"])
                try? await sleeper.sleep(for: interval)
            }
        }
    }

    private func recoverPeriodically() async {
        while !Task.isCancelled {
            do {
                try await sleeper.sleep(for: configuration.lease)
                let jobs = try await registry.recoverJobs(now: clock.now(), maxAttempts: configuration.maxAttempts, orphanedBy: nil)
                JobMetrics.recovered(jobs.count)
                if !jobs.isEmpty {
                    logger.notice("re-queued jobs whose worker stopped renewing its lease", metadata: ["jobs": "\(jobs)"])
                    wake.signal()
                }
            } catch is CancellationError {
                return
            } catch {
                logger.warning("job recovery failed", metadata: ["error": "\(error)"])
            }
        }
    }
}

/// The latest progress text of one job, written by the trainer, read by the heartbeat.
private final class ProgressBox: Sendable {
    private let text = Mutex<String?>(nil)
    func set(_ value: String) { text.withLock { $0 = value } }
    func get() -> String? { text.withLock { $0 } }
}

extension Logger {
    fileprivate func with(_ metadata: Logger.Metadata) -> Logger {
        var copy = self
        for (key, value) in metadata { copy[metadataKey: key] = value }
        return copy
    }
}
