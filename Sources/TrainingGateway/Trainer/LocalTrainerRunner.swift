import Foundation
import Logging

/// Runs the trainer as a subprocess of the gateway (``TrainerProcess``), in an empty working
/// directory of its own under `workRoot`, removed when the run ends. The default runner. Its time
/// limit and grace period pass on `clock`.
struct LocalTrainerRunner: TrainerRunner {
    let command: TrainerCommand
    let workRoot: URL
    let clock: any Clock<Duration>
    let logger: Logger

    init(command: TrainerCommand, workRoot: URL, clock: some Clock<Duration> = ContinuousClock(), logger: Logger) {
        self.command = command
        self.workRoot = workRoot
        self.clock = clock
        self.logger = logger
    }

    func run(_ request: TrainerRunRequest, progress: @escaping @Sendable (String) -> Void) async throws -> TrainerRunResult {
        let directory = workRoot.appending(path: UUID().uuidString, directoryHint: .isDirectory)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let options = directory.appending(path: "options.json")
        try request.optionsFile(output: request.output).write(to: options)
        progress("\(request.label): the trainer is starting.")
        return try await TrainerProcess(command: command, clock: clock, logger: logger).run(
            arguments: request.arguments(options: options, output: request.output),
            workingDirectory: directory,
            timeLimit: request.timeLimit,
            phase: request.label,
            // Lets a start-up sweep find runs a crashed gateway left behind.
            environment: [TrainerProcess.runMarker: workRoot.path(percentEncoded: false)],
            progress: progress
        )
    }
}
