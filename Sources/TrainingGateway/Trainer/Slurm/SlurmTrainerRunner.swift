import Foundation
import Logging
import TrainingCore

/// Runs the trainer as a batch job of a Slurm cluster: submits it with `sbatch`, follows its state
/// (`scontrol show job`) and its output file for progress, stops it with `scancel` (SIGTERM to every
/// process of the job, the whole job ended after the grace period) when the model is deleted, the
/// gateway shuts down or the time limit passes, and reads how it ended from the status file its
/// batch script writes, or from the scheduler.
///
/// A run's directory (``SlurmRunDirectory``) and its job are named after the registry's job, so a
/// gateway that takes a job up again after a crash finds its run: it follows a job still pending or
/// running, takes the outcome of one that ended (a finished run is never run twice), and submits
/// anew only when the cluster has no trace of it. Polls, limits and the grace period pass on `clock`.
struct SlurmTrainerRunner: TrainerRunner {
    let command: TrainerCommand
    let options: SlurmOptions
    /// The shared directory runs live in.
    let root: URL
    let client: any SlurmScheduler
    let clock: any Clock<Duration>
    let logger: Logger

    init(
        command: TrainerCommand, options: SlurmOptions, root: URL, client: any SlurmScheduler, clock: some Clock<Duration> = ContinuousClock(),
        logger: Logger
    ) {
        self.command = command
        self.options = options
        self.root = root
        self.client = client
        self.clock = clock
        self.logger = logger
    }

    /// How following a job ended.
    private enum Followed {
        case ended(TrainerRunResult)
        case lost(reason: String)
    }

    func run(_ request: TrainerRunRequest, progress: @escaping @Sendable (String) -> Void) async throws -> TrainerRunResult {
        let name = Self.jobName(for: request)
        let directory = SlurmRunDirectory(url: root.appending(path: name, directoryHint: .isDirectory))
        var runLogger = logger
        runLogger[metadataKey: "slurm_job_name"] = "\(name)"
        var resubmissions = 0
        var jobID: String
        if let adopted = await adopt(directory, name: name, logger: runLogger) {
            jobID = adopted
        } else {
            progress("\(request.label): submitting the job to the cluster.")
            do {
                // Not cut short by a cancellation: a job submitted must be known, so that it can be stopped.
                jobID = try await Task { try await submit(request, name: name, directory: directory) }.value
            } catch let failure as SlurmClient.CommandFailed {
                runLogger.error("sbatch refused the job", metadata: ["error": "\(failure.message)"])
                return TrainerRunResult(end: .stopped(reason: "the cluster refused the job (\(failure.message)). Contact the service provider."))
            }
        }
        while true {
            var jobLogger = runLogger
            jobLogger[metadataKey: "slurm_job_id"] = "\(jobID)"
            switch try await follow(jobID, request: request, directory: directory, clock: self.clock, logger: jobLogger, progress: progress) {
            case .ended(let result):
                if case .exited(0) = result.end, let destination = request.output { try deliver(directory, to: destination) }
                if request.job == nil { directory.remove() }  // nothing could take it up again
                return result
            case .lost(let reason):
                guard resubmissions < options.resubmissions else {
                    return TrainerRunResult(
                        end: .stopped(reason: "the cluster lost the job \(resubmissions + 1) times, last because \(reason). Try again later."))
                }
                resubmissions += 1
                runLogger.warning("the cluster lost the job; submitting it again", metadata: ["reason": "\(reason)", "slurm_job_id": "\(jobID)"])
                progress("\(request.label): \(reason); submitted again (\(resubmissions) of \(options.resubmissions)).")
                directory.resetForResubmission()
                do {
                    jobID = try await Task { try await submit(request, name: name, directory: directory, fresh: false) }.value
                } catch let failure as SlurmClient.CommandFailed {
                    return TrainerRunResult(end: .stopped(reason: "the cluster refused the job (\(failure.message)). Contact the service provider."))
                }
            }
        }
    }

    /// `snet-train-<model>-<job>`: what `squeue` shows, and the run directory's name.
    static func jobName(for request: TrainerRunRequest) -> String {
        let run = request.job.map { "\($0.modelID)-\($0.jobID)" } ?? UUID().uuidString.lowercased()
        let safe = String(
            "snet-\(request.phase.rawValue)-\(run)".map { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == ".") ? $0 : "_" })
        return String(safe.prefix(200))
    }

    /// The job of an earlier attempt at this run that the gateway may take up: one that recorded
    /// its end, or that the scheduler still knows. Not one the gateway stopped itself.
    private func adopt(_ directory: SlurmRunDirectory, name: String, logger: Logger) async -> String? {
        guard directory.exists, directory.stopCause == nil else { return nil }
        var id = directory.slurmJobID
        if id == nil, let named = try? await client.job(named: name) {
            id = named  // the gateway stopped between sbatch and writing the id down
            directory.slurmJobID = named
        }
        guard let id else { return nil }
        if directory.recordedEnd != nil {
            logger.notice("taking up a cluster job that has ended", metadata: ["slurm_job_id": "\(id)"])
            return id
        }
        guard let state = try? await client.job(id) else { return nil }
        logger.notice("taking up a cluster job", metadata: ["slurm_job_id": "\(id)", "state": "\(state.state)"])
        return id
    }

    func submit(_ request: TrainerRunRequest, name: String, directory: SlurmRunDirectory, fresh: Bool = true) async throws -> String {
        if fresh { try directory.create(owner: request.job) }
        let output = request.phase == .train ? directory.output : nil
        if let output { try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true) }
        try request.optionsFile(output: output).write(to: directory.options)
        let script = SlurmBatchScript.text(
            command: [command.executable] + command.arguments + request.arguments(options: directory.options, output: output),
            directory: directory,
            environment: TrainerEnvironment.clean(workingDirectory: directory.work, command: command)
        )
        try Data(script.utf8).write(to: directory.script)
        let id = try await client.submit(script: directory.script, arguments: sbatchArguments(name: name, directory: directory, timeLimit: request.timeLimit))
        directory.slurmJobID = id
        logger.info("submitted a trainer job", metadata: ["slurm_job_name": "\(name)", "slurm_job_id": "\(id)"])
        return id
    }

    /// The scheduler's time limit is a whole number of minutes, a minute past the gateway's own
    /// limit and grace period, so the gateway normally stops the run itself, with its grace period.
    func sbatchArguments(name: String, directory: SlurmRunDirectory, timeLimit: Duration) -> [String] {
        let seconds = timeLimit.components.seconds + command.gracePeriod.components.seconds + 60
        var arguments = [
            "--job-name=\(name)", "--output=\(directory.schedulerOutput.path(percentEncoded: false))",
            "--chdir=\(directory.work.path(percentEncoded: false))",
            // The job sees Slurm's variables and a login environment on the node, never the gateway's.
            "--export=NIL",
            // A lost job is submitted again by the gateway, which says so in the status detail.
            "--no-requeue",
            "--time=\((seconds + 59) / 60)",
        ]
        if let partition = options.partition { arguments.append("--partition=\(partition)") }
        if let account = options.account { arguments.append("--account=\(account)") }
        if let gpus = options.gpus { arguments.append("--gpus=\(gpus)") }
        if let memory = options.memory { arguments.append("--mem=\(memory)") }
        if let cpus = options.cpusPerTask { arguments.append("--cpus-per-task=\(cpus)") }
        return arguments + options.extraArguments
    }

    /// Looks at the job until it ends, passing its progress on; stops it on cancellation and at
    /// the time or pending limit.
    private func follow<C: Clock<Duration>>(
        _ id: String, request: TrainerRunRequest, directory: SlurmRunDirectory, clock: C, logger: Logger,
        progress: @escaping @Sendable (String) -> Void
    ) async throws -> Followed {
        var follower = OutputFileFollower(file: directory.standardOutput, phase: request.label)
        let queuedAt = clock.now
        var startedAt: C.Instant?
        var shown: String?
        var settling = 0  // looks at an ended job whose status file has not shown up yet
        var trainerSpoke = false
        func result(_ end: TrainerRunResult.End) -> Followed {
            follower.finish { progress($0) }
            let tail = OutputFileFollower.tail(of: directory.standardError, bytes: TrainerProcess.stderrTailBytes)
            return .ended(TrainerRunResult(end: end, report: follower.output.finalReport, reason: follower.output.error ?? tail.lastLine))
        }
        func show(_ detail: String) {
            if detail != shown { progress(detail) }
            shown = detail
        }
        while true {
            if Task.isCancelled {
                await stop(id, directory: directory, cause: .cancelled, clock: clock, logger: logger)
                directory.remove()  // the job goes back to the queue and starts afresh
                throw CancellationError()
            }
            follower.look {
                trainerSpoke = true
                progress($0)
            }
            let state: SlurmJobState?
            do {
                state = try await client.job(id)
            } catch {
                logger.warning("cannot read the job's state", metadata: ["error": "\(error)"])
                try? await clock.sleep(for: options.pollInterval)
                continue
            }
            if let recorded = directory.recordedEnd {
                // The trainer ended. The scheduler's verdict says more when it stopped the job itself.
                if let state, state.isRunning, settling < 3 {
                    settling += 1
                } else if let state, state.isFinished, ["OUT_OF_MEMORY", "CANCELLED", "TIMEOUT", "NODE_FAIL", "PREEMPTED", "DEADLINE"].contains(state.state) {
                    return outcome(SlurmOutcome.of(state, recorded: recorded.end), result: result)
                } else if recorded.terminated {
                    return result(.stopped(reason: "the cluster stopped the job before the trainer finished (an administrator, a policy or its time limit)."))
                } else {
                    return result(recorded.end)
                }
            } else if let state, state.isPending {
                show("\(request.label): queued on the cluster (partition \(state.partition), reason \(state.reason))")
                if queuedAt.duration(to: clock.now) > options.pendingLimit {
                    await stop(id, directory: directory, cause: .pendingLimit, clock: clock, logger: logger)
                    return result(
                        .stopped(
                            reason:
                                "the job did not start on the cluster within \(options.pendingLimit.components.seconds) seconds (partition \(state.partition), reason \(state.reason)). Try again later."
                        ))
                }
            } else if let state, state.isRunning {
                if startedAt == nil {
                    startedAt = clock.now.advanced(by: .zero - state.runTime)
                    if !trainerSpoke { show("\(request.label): running on the cluster (\(state.nodes)).") }
                }
                if let startedAt, startedAt.duration(to: clock.now) > request.timeLimit {
                    await stop(id, directory: directory, cause: .timeLimit, clock: clock, logger: logger)
                    return result(.timedOut)
                }
            } else if let state, !["COMPLETED", "FAILED"].contains(state.state) || settling >= 3 {
                return outcome(SlurmOutcome.of(state, recorded: nil), result: result)
            } else {
                // Ended without a status file yet (shared storage may show it late), or forgotten.
                settling += 1
                if state == nil, settling >= 3 { return .lost(reason: "the cluster lost the job before the trainer ended") }
            }
            try? await clock.sleep(for: options.pollInterval)
        }
    }

    private func outcome(_ outcome: SlurmOutcome, result: (TrainerRunResult.End) -> Followed) -> Followed {
        switch outcome {
        case .ended(let end): result(end)
        case .resubmit(let reason): .lost(reason: reason)
        }
    }

    /// SIGTERM to every process of the job, then, after the grace period, the job ended by the
    /// scheduler; waits until the scheduler says it has ended. Runs to its end even when the
    /// calling task is cancelled (that is usually why it runs).
    private func stop<C: Clock<Duration>>(
        _ id: String, directory: SlurmRunDirectory, cause: SlurmRunDirectory.StopCause, clock: C, logger: Logger
    ) async {
        directory.stopCause = cause
        let client = client
        let grace = command.gracePeriod
        let poll = min(options.pollInterval, .milliseconds(250))
        let started = clock.now
        await Task {
            // Only a running job has processes to signal (scancel retries for minutes on a pending one).
            if let state = try? await client.job(id), state.isRunning {
                try? await client.signal(id, "TERM")
                while started.duration(to: clock.now) < grace, await Self.isActive(id, client: client) {
                    try? await clock.sleep(for: poll)
                }
            }
            try? await client.cancel(id)
            // The scheduler sends SIGKILL after its KillWait; a minute covers a slow node.
            while started.duration(to: clock.now) < grace + .seconds(60), await Self.isActive(id, client: client) {
                try? await clock.sleep(for: poll)
            }
        }.value
        logger.info(
            "stopped a trainer job", metadata: ["cause": "\(cause.rawValue)", "seconds": "\(started.duration(to: clock.now).components.seconds)"]
        )
    }

    private static func isActive(_ id: String, client: any SlurmScheduler) async -> Bool {
        guard let state = try? await client.job(id) else { return false }
        return !state.isFinished
    }

    /// Moves a successful run's model to where the registry expects it. Where it went is written
    /// first, so a gateway that stops between the move and saving the model still finds it.
    private func deliver(_ directory: SlurmRunDirectory, to destination: URL) throws {
        let files = FileManager.default
        let source: URL
        if files.fileExists(atPath: directory.output.path(percentEncoded: false)) {
            source = directory.output
        } else if let earlier = directory.deliveredTo, earlier != destination, files.fileExists(atPath: earlier.path(percentEncoded: false)) {
            source = earlier
        } else {
            return
        }
        directory.deliveredTo = destination
        try? files.removeItem(at: destination)
        try files.moveItem(at: source, to: destination)
    }
}
