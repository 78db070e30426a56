import Foundation
public import TrainingCore

/// How the job runner shares the machine and recovers from failures.
public struct JobRunnerConfiguration: Sendable {
    /// Jobs run at once on this node.
    public var concurrency: Int
    /// This node's name in the registry. Must differ between processes that share a registry; at
    /// start-up, jobs still marked running under this name are re-queued, since this name's previous
    /// run died. The default, ``processWorkerName``, is distinct per process; a restarted process's
    /// jobs are then re-queued once their lease expires (by this node or any other). A name of its own
    /// that stays the same across restarts of one node re-queues them at once.
    public var workerName: String
    /// How long a claimed job stays this node's without a heartbeat. Another node takes it over after.
    public var lease: Duration
    /// How often the runner looks for queued jobs when nothing wakes it.
    public var pollInterval: Duration
    /// Claims after which a job that keeps dying with its worker is failed (model ERRORED).
    public var maxAttempts: Int
    /// The longest one job may run; past it the job is stopped and its model ends ERRORED with a
    /// reason, so no dataset or trainer can hold a worker forever.
    public var maxRunTime: Duration = .seconds(3600)
    /// Where jobs run: dedicated threads, never Swift's cooperative pool, so a training job cannot
    /// starve RPC handling or its own heartbeat. Nil: the process's ``WorkerThreadPool/sharedJobs``.
    package var executor: WorkerThreadPool? = nil
    /// How long a DELETED model stays answerable as DELETED before its record is purged (checked
    /// hourly), so create-and-delete cycles cannot grow the registry without bound. Nil: kept.
    public var deletedModelRetention: Duration? = .seconds(30 * 24 * 3600)

    /// Concurrency = the machine's active cores; ``processWorkerName`` as worker; a 30 s lease;
    /// polling every second; 3 attempts; at most an hour per job.
    public static var defaults: JobRunnerConfiguration {
        JobRunnerConfiguration(
            concurrency: max(1, ProcessInfo.processInfo.activeProcessorCount),
            workerName: processWorkerName,
            lease: .seconds(30),
            pollInterval: .seconds(1),
            maxAttempts: 3
        )
    }

    /// `host#pid`: the host name and this process's id, so that two processes on one host (two
    /// nodes sharing a PostgreSQL registry, say) never share a name, and one never re-queues the
    /// other's running jobs as its own.
    public static var processWorkerName: String {
        "\(ProcessInfo.processInfo.hostName)#\(ProcessInfo.processInfo.processIdentifier)"
    }

    public init(
        concurrency: Int, workerName: String, lease: Duration, pollInterval: Duration, maxAttempts: Int,
        maxRunTime: Duration = .seconds(3600)
    ) {
        self.maxRunTime = maxRunTime
        self.concurrency = concurrency
        self.workerName = workerName
        self.lease = lease
        self.pollInterval = pollInterval
        self.maxAttempts = maxAttempts
    }
}
