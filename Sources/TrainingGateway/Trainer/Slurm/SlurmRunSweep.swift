import Foundation
import Logging
import TrainingCore

/// Removes the run directories (and cancels the cluster jobs) of runs nobody will take up again:
/// those whose registry job has ended or no longer exists. A run whose job is still queued or
/// running is kept, whichever gateway holds it, so a gateway started after a crash, or another
/// gateway sharing the registry, can take it up. Runs at start-up and then periodically, on `clock`.
struct SlurmRunSweep: Sendable {
    let roots: [URL]
    let registry: any ModelRegistry
    let client: any SlurmScheduler
    let clock: any Clock<Duration>
    let logger: Logger

    init(
        roots: [URL], registry: any ModelRegistry, client: any SlurmScheduler, clock: some Clock<Duration> = ContinuousClock(),
        logger: Logger
    ) {
        self.roots = roots
        self.registry = registry
        self.client = client
        self.clock = clock
        self.logger = logger
    }

    func run() async {
        for root in roots {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: root.path(percentEncoded: false))) ?? []
            for name in names {
                let directory = SlurmRunDirectory(url: root.appending(path: name, directoryHint: .isDirectory))
                guard let owner = directory.owner else { continue }
                do {
                    if let job = try await registry.job(id: owner), !job.state.isFinished { continue }
                } catch {
                    logger.warning("cannot read the registry to sweep cluster runs", metadata: ["error": "\(error)"])
                    return
                }
                var id = directory.slurmJobID
                if id == nil { id = try? await client.job(named: name) }
                if let id, let state = try? await client.job(id), !state.isFinished {
                    try? await client.cancel(id)
                    logger.notice("cancelled a cluster job no model needs", metadata: ["slurm_job_id": "\(id)", "slurm_job_name": "\(name)"])
                }
                directory.remove()
            }
        }
    }

    /// Every `interval` until the task is cancelled.
    func runPeriodically(every interval: Duration) async {
        while (try? await clock.sleep(for: interval)) != nil {
            await run()
        }
    }
}
