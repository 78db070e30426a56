import Foundation
import TrainingCore

/// Where and how a trainer program runs: a subprocess of the gateway (``LocalTrainerRunner``) or a
/// job of the provider's cluster scheduler (``SlurmTrainerRunner``). A runner starts the program
/// with the protocol's arguments (docs/trainer-protocol.md), passes its JSON-line progress on,
/// stops it when the calling task is cancelled (SIGTERM, then SIGKILL after the grace period) or
/// when its time limit passes, and says how it ended. Another scheduler is another conforming type.
protocol TrainerRunner: Sendable {
    /// Runs `request` once. Throws `CancellationError` when the calling task was cancelled (after
    /// the program was stopped); every other outcome, a failure of the program included, is a result.
    func run(_ request: TrainerRunRequest, progress: @escaping @Sendable (String) -> Void) async throws -> TrainerRunResult
}

/// One run of a trainer program: the phase, its inputs, and its limit.
struct TrainerRunRequest: Sendable {
    enum Phase: String, Sendable {
        case validate, train
    }

    var phase: Phase
    var dataset: URL
    /// The directory the model is written to (train only).
    var output: URL?
    var method: TrainableMethod
    var timeLimit: Duration
    /// The job this run is for, when it runs for one: lets a runner whose runs outlive the gateway
    /// find the same run again after a restart.
    var job: TrainerJob?

    /// `Training` or `Validation`, the prefix of status details.
    var label: String { phase == .train ? "Training" : "Validation" }

    /// The protocol's arguments, after the command's own.
    func arguments(options: URL, output: URL?) -> [String] {
        var arguments = [phase.rawValue, "--dataset", dataset.path(percentEncoded: false)]
        if let output { arguments += ["--output", output.path(percentEncoded: false)] }
        return arguments + ["--options", options.path(percentEncoded: false)]
    }

    /// The `--options` file's content (its `output` is where the program writes the model).
    func optionsFile(output: URL?) throws -> Data {
        try TrainerOptionsFile.data(phase: phase.rawValue, method: method, dataset: dataset, output: output)
    }
}

/// How one trainer run ended.
struct TrainerRunResult: Sendable {
    enum End: Sendable, Equatable {
        case exited(Int32)
        case signalled(Int32)
        case timedOut
        /// The runner could not bring the run to an end of the program's own: the scheduler stopped
        /// or lost it (the reason says how, for the consumer).
        case stopped(reason: String)
    }

    var end: End
    /// The last `report`, with the last `figures` and `confusion`; nil if the trainer printed no `report`.
    var report: TrainingReport?
    /// The trainer's own reason: its last `error` line, else its last line on standard error.
    var reason: String?
}
