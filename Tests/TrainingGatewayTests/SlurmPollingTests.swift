import Foundation
import Logging
import SNETTraining
import Synchronization
import Testing
import TrainingCore
import TrainingTesting

@testable import TrainingGateway

/// The Slurm runner's timing rules (the pending limit, the time limit, the grace period between
/// SIGTERM and the end of the job, the looks at a job the scheduler forgot) against a scripted
/// scheduler, on a test clock: minutes of polling pass in milliseconds. What a real cluster does
/// with the runner's commands is SlurmRunnerTests' part.
@Suite("Slurm runner polling, on a test clock")
struct SlurmPollingTests {
    /// A scheduler whose jobs are what the test says; it notes when (on the clock) each command came.
    final class ScriptedSlurm: SlurmScheduler {
        struct State {
            var jobs: [String: SlurmJobState] = [:]
            var submitted = 0
            var commands: [(command: String, at: Duration)] = []
        }

        let clock: TestClock
        let start: TestClock.Instant
        /// The state of the n-th job submitted (from 1); nil: the scheduler has already forgotten it.
        let onSubmit: @Sendable (Int) -> SlurmJobState?
        let state = Mutex(State())

        init(clock: TestClock, onSubmit: @escaping @Sendable (Int) -> SlurmJobState?) {
            self.clock = clock
            self.start = clock.now
            self.onSubmit = onSubmit
        }

        var commands: [(command: String, at: Duration)] { state.withLock { $0.commands } }

        private func note(_ command: String) {
            let at = start.duration(to: clock.now)
            state.withLock { $0.commands.append((command, at)) }
        }

        func submit(script: URL, arguments: [String]) async throws -> String {
            note("sbatch")
            return state.withLock { state in
                state.submitted += 1
                let id = "\(state.submitted)"
                state.jobs[id] = onSubmit(state.submitted)
                return id
            }
        }

        func job(_ id: String) async throws -> SlurmJobState? { state.withLock { $0.jobs[id] } }

        func job(named name: String) async throws -> String? { nil }

        /// The trainer ignores SIGTERM: its job keeps running.
        func signal(_ id: String, _ signal: String) async throws { note("signal \(signal)") }

        func cancel(_ id: String) async throws {
            note("scancel")
            state.withLock { $0.jobs[id]?.state = "CANCELLED" }
        }
    }

    let files: TrainerTestFiles
    let clock = TestClock()

    init() throws {
        files = try TrainerTestFiles(prefix: "gateway-slurm-polling")
    }

    private func trainer(
        _ scheduler: ScriptedSlurm, options: SlurmOptions, timeLimit: Duration = .seconds(3_600), grace: Duration = .seconds(30)
    ) -> SubprocessTrainer {
        let command = TrainerCommand(
            executable: "/bin/true", timeLimit: timeLimit, validationTimeLimit: timeLimit, gracePeriod: grace, runner: .slurm(options)
        )
        let runner = SlurmTrainerRunner(
            command: command, options: options, root: files.root.appending(path: "jobs"), client: scheduler, clock: clock, logger: Logger(label: "test")
        )
        return SubprocessTrainer(command: command, runner: runner, logger: Logger(label: "test"))
    }

    /// Validates with `trainer`, moving the clock to each wait's end until the run ends; its
    /// report, or the message of its failure.
    private func validate(_ trainer: SubprocessTrainer, progress: ProgressLog = ProgressLog()) async -> String {
        let clock = clock
        let driver = Task {
            while !Task.isCancelled { _ = try? await clock.advanceToNextDeadline(timeout: .milliseconds(100)) }
        }
        defer { driver.cancel() }
        do {
            return try await trainer.validate(dataset: files.dataset, method: files.method, progress: ProgressReporter { progress.append($0) }).text()
        } catch let error as TrainingError {
            return error.message
        } catch {
            return "\(error)"
        }
    }

    @Test("a job still pending past the pending limit is cancelled at the first look past it, without a signal")
    func pendingLimit() async throws {
        let scheduler = ScriptedSlurm(clock: clock) { _ in SlurmJobState(state: "PENDING", reason: "Resources", partition: "gpu") }
        let progress = ProgressLog()
        let options = SlurmOptions(pendingLimit: .seconds(600), pollInterval: .seconds(60))
        let message = await validate(trainer(scheduler, options: options), progress: progress)
        #expect(message.contains("did not start on the cluster within 600 seconds (partition gpu, reason Resources)"), "\(message)")
        #expect(progress.lines.contains("Validation: queued on the cluster (partition gpu, reason Resources)"))
        #expect(scheduler.commands.map(\.command) == ["sbatch", "scancel"], "a pending job has no processes to signal")
        // Looks a minute apart: at 600 s the job has waited exactly the limit, at 660 s past it.
        #expect(scheduler.commands.last?.at == .seconds(660))
    }

    @Test("a job running past its time limit gets SIGTERM at the first look past it, and is ended when the grace period has passed")
    func timeLimitAndGrace() async throws {
        let scheduler = ScriptedSlurm(clock: clock) { _ in SlurmJobState(state: "RUNNING", nodes: "n1") }
        let options = SlurmOptions(pollInterval: .seconds(60))
        let message = await validate(trainer(scheduler, options: options, timeLimit: .seconds(3_600), grace: .seconds(30)))
        #expect(message.contains("did not finish within its time limit of 3600 seconds"), "\(message)")
        #expect(scheduler.commands.map(\.command) == ["sbatch", "signal TERM", "scancel"])
        let term = try #require(scheduler.commands.first { $0.command == "signal TERM" }).at
        let cancel = try #require(scheduler.commands.last).at
        #expect(term == .seconds(3_660))
        #expect(cancel - term == .seconds(30), "the job is ended when the grace period has passed, not before")
    }

    @Test("a job the scheduler has forgotten is looked at three times, a poll apart, then submitted again")
    func forgottenJobResubmitted() async throws {
        // The first submission is forgotten at once; the second completes.
        let scheduler = ScriptedSlurm(clock: clock) { submission in submission == 1 ? nil : SlurmJobState(state: "COMPLETED", nodes: "n1") }
        let progress = ProgressLog()
        let options = SlurmOptions(pollInterval: .seconds(5), resubmissions: 1)
        let report = await validate(trainer(scheduler, options: options), progress: progress)
        #expect(report == "The trainer accepted the dataset.", "\(report)")
        #expect(scheduler.commands.map(\.command) == ["sbatch", "sbatch"])
        #expect(scheduler.commands.last?.at == .seconds(10), "looks at 0, 5 and 10 s")
        #expect(progress.lines.contains { $0.contains("submitted again (1 of 1)") }, "\(progress.lines)")
    }
}
