import Foundation

/// How to run one trainable method's trainer program (docs/trainer-protocol.md), and its limits.
public struct TrainerCommand: Sendable, Hashable {
    /// The program: an absolute path (the configuration reader resolves names on `PATH`).
    public var executable: String
    /// Arguments before the protocol's own (`validate …` or `train …`).
    public var arguments: [String]
    /// Variables added to the trainer's otherwise clean environment.
    public var environment: [String: String]
    /// Longest a training run may take; past it the run is stopped and the model ends ERRORED.
    public var timeLimit: Duration
    /// Longest a validation run may take.
    public var validationTimeLimit: Duration
    /// Between SIGTERM and SIGKILL when a run is stopped (deletion, shutdown, time limit).
    public var gracePeriod: Duration
    /// Runs of this method's trainer at once; further jobs wait for a free slot. With the Slurm
    /// runner: jobs submitted and not yet ended (pending or running).
    public var concurrency: Int
    /// Where the trainer runs.
    public var runner: Runner

    /// Where a trainer runs: a subprocess of the gateway, or a batch job of a Slurm cluster.
    public enum Runner: Sendable, Hashable {
        case local
        case slurm(SlurmOptions)
    }

    /// Two hours to train, ten minutes to validate, ten seconds' grace, one run at a time, as a subprocess.
    public init(
        executable: String,
        arguments: [String] = [],
        environment: [String: String] = [:],
        timeLimit: Duration = .seconds(7_200),
        validationTimeLimit: Duration = .seconds(600),
        gracePeriod: Duration = .seconds(10),
        concurrency: Int = 1,
        runner: Runner = .local
    ) {
        self.executable = executable
        self.arguments = arguments
        self.environment = environment
        self.timeLimit = timeLimit
        self.validationTimeLimit = validationTimeLimit
        self.gracePeriod = gracePeriod
        self.concurrency = concurrency
        self.runner = runner
    }
}
