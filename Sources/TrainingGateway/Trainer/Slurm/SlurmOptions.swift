public import Foundation

/// How a method's trainer runs as a Slurm batch job (`methods.<method>.trainer.slurm.*`).
public struct SlurmOptions: Sendable, Hashable {
    /// `--partition`; nil for the cluster's default.
    public var partition: String?
    /// `--account`; nil for the user's default.
    public var account: String?
    /// `--gpus` (`1`, `a100:2`); nil for none.
    public var gpus: String?
    /// `--mem` (`16G`); nil for the partition's default.
    public var memory: String?
    /// `--cpus-per-task`; nil for the default (one).
    public var cpusPerTask: Int?
    /// Further `sbatch` arguments, given as written (`--qos=long`, `--constraint=v100`).
    public var extraArguments: [String]
    /// Longest a job may wait in the queue; past it the job is cancelled and the model ends ERRORED.
    public var pendingLimit: Duration
    /// Where each run's batch script, options, output and exit status live: must be on storage
    /// the compute nodes share with the gateway, like the data directory. nil: `trainer-jobs` in
    /// the data directory.
    public var sharedDirectory: URL?
    /// Between two looks at a job's state and output.
    public var pollInterval: Duration
    /// How often a job the cluster lost (node failure, preemption, a node that failed to boot) is
    /// submitted again before the model ends ERRORED.
    public var resubmissions: Int

    /// Cluster defaults for partition, account and memory; no GPU; six hours in the queue at most;
    /// a look every five seconds; two resubmissions.
    public init(
        partition: String? = nil,
        account: String? = nil,
        gpus: String? = nil,
        memory: String? = nil,
        cpusPerTask: Int? = nil,
        extraArguments: [String] = [],
        pendingLimit: Duration = .seconds(21_600),
        sharedDirectory: URL? = nil,
        pollInterval: Duration = .seconds(5),
        resubmissions: Int = 2
    ) {
        self.partition = partition
        self.account = account
        self.gpus = gpus
        self.memory = memory
        self.cpusPerTask = cpusPerTask
        self.extraArguments = extraArguments
        self.pendingLimit = pendingLimit
        self.sharedDirectory = sharedDirectory
        self.pollInterval = pollInterval
        self.resubmissions = resubmissions
    }
}
