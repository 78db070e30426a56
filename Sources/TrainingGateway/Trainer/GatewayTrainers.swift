import Foundation
import Logging
import SNETTraining
import TrainingCore

/// The trainers of the gateway's methods, each with the runner its configuration names.
enum GatewayTrainers {
    static func trainer(for command: TrainerCommand, configuration: GatewayConfiguration, logger: Logger) -> SubprocessTrainer {
        let runner: any TrainerRunner
        switch command.runner {
        case .local:
            runner = LocalTrainerRunner(command: command, workRoot: configuration.trainerWorkRoot, logger: logger)
        case .slurm(let options):
            runner = SlurmTrainerRunner(
                command: command, options: options, root: slurmRoot(options, configuration: configuration), client: SlurmClient(), logger: logger
            )
        }
        return SubprocessTrainer(command: command, runner: runner, logger: logger)
    }

    /// The sweep of cluster runs nobody will take up again; nil when no method runs on a cluster.
    static func slurmSweep(configuration: GatewayConfiguration, registry: any ModelRegistry, logger: Logger) -> SlurmRunSweep? {
        var roots: [URL] = []
        for command in configuration.trainers.values {
            if case .slurm(let options) = command.runner { roots.append(slurmRoot(options, configuration: configuration)) }
        }
        guard !roots.isEmpty else { return nil }
        return SlurmRunSweep(roots: Array(Set(roots)), registry: registry, client: SlurmClient(), logger: logger)
    }

    /// Run directories of cluster jobs: `trainer.slurm.sharedDirectory`, else `trainer-jobs` in
    /// the data directory (which the cluster must share anyway: datasets and models live there).
    static func slurmRoot(_ options: SlurmOptions, configuration: GatewayConfiguration) -> URL {
        options.sharedDirectory ?? configuration.server.dataDirectory.appending(path: "trainer-jobs", directoryHint: .isDirectory)
    }
}
