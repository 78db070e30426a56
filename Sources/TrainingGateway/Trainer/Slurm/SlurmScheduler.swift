import Foundation

/// What the Slurm runner asks of the cluster's scheduler: ``SlurmClient`` runs Slurm's own
/// commands; tests of the runner's polling put a scripted scheduler in its place.
protocol SlurmScheduler: Sendable {
    /// Submits `script`; returns the job's id.
    func submit(script: URL, arguments: [String]) async throws -> String
    /// The job's state; nil once the scheduler no longer knows it.
    func job(_ id: String) async throws -> SlurmJobState?
    /// The id of the job named `name` that the scheduler still knows, if any (the newest).
    func job(named name: String) async throws -> String?
    /// Sends `signal` to every process of the job, its batch script included.
    func signal(_ id: String, _ signal: String) async throws
    /// Ends the job (the scheduler sends SIGTERM, then SIGKILL after its `KillWait`).
    func cancel(_ id: String) async throws
}
