import Foundation
import Glibc
import Logging
import Subprocess
import Synchronization
import SystemPackage
import TrainingCore

/// Runs a trainer program once: in its own session (so its process group can be signalled as a
/// whole without touching the gateway), in an empty working directory, with a clean environment,
/// under a time limit. Every process of the group is killed when the run ends, whichever way it ends.
/// The time limit and the grace period are measured on `clock`, so tests move time instead of waiting.
struct TrainerProcess {
    static let maxLineBytes = 16 * 1024
    /// Set in every trainer's environment to the gateway's work root, so ``StaleTrainerSweep`` can
    /// recognise trainers a crashed gateway left running.
    static let runMarker = "TRAINING_GATEWAY_RUN"
    static let stderrTailBytes = 8 * 1024

    let command: TrainerCommand
    let clock: any Clock<Duration>
    let logger: Logger

    /// What the three readers of a running trainer bring back.
    private struct Collected: Sendable {
        var output = TrainerOutput()
        var tail = OutputTail(capacity: 0)
        var timedOut = false
    }

    private enum Stream: Sendable {
        case standardOutput(TrainerOutput, dropped: Int)
        case standardError(OutputTail)
        case stopped
    }

    private enum StopCause { case timeLimit, cancelled }

    func run(
        arguments: [String],
        workingDirectory: URL,
        timeLimit: Duration,
        phase: String,
        environment extra: [String: String],
        progress: @escaping @Sendable (String) -> Void
    ) async throws -> TrainerRunResult {
        let leader = Mutex<pid_t?>(nil)
        // Whichever way the run ends, nothing of its process group outlives it: the trainer may have
        // left children behind, and Subprocess's teardown stops at the group leader's exit.
        defer { if let group = leader.withLock({ $0 }) { Self.killGroup(group) } }
        // Cancellation (delete_model, shutdown) does not reach the run itself: it would close the
        // pipes at once, and a trainer writing its last words after SIGTERM would die of SIGPIPE
        // before its own handler finished. Instead it asks the run to stop, the way the time limit
        // does: SIGTERM to the group, SIGKILL after the grace period, the pipes read to their end.
        let (stopRequests, requestStop) = AsyncStream<Void>.makeStream()
        let environment = processEnvironment(workingDirectory: workingDirectory, extra: extra)
        let run = Task {
            try await Subprocess.run(
                .path(FilePath(command.executable)),
                arguments: Arguments(command.arguments + arguments),
                environment: .custom(environment),
                workingDirectory: FilePath(workingDirectory.path(percentEncoded: false)),
                platformOptions: platformOptions(),
                input: .none,
                output: .sequence,
                error: .sequence
            ) { execution in
                leader.withLock { $0 = execution.processIdentifier.value }
                return try await collect(
                    execution, phase: phase, timeLimit: timeLimit, stopRequests: stopRequests, progress: progress
                )
            }
        }
        let execution = try await withTaskCancellationHandler {
            try await run.value
        } onCancel: {
            requestStop.finish()
        }
        if Task.isCancelled { throw CancellationError() }
        return result(of: execution.terminationStatus, collected: execution.closureResult)
    }

    /// Its own session; should reading the trainer's output fail, Subprocess sends SIGTERM to the
    /// group, then SIGKILL after the grace period.
    private func platformOptions() -> PlatformOptions {
        var platform = PlatformOptions()
        platform.createSession = true
        platform.teardownSequence = [
            .send(signal: .terminate, toProcessGroup: true, allowedDurationToNextStep: command.gracePeriod)
        ]
        return platform
    }

    private func processEnvironment(workingDirectory: URL, extra: [String: String]) -> [Environment.Key: String] {
        var environment: [Environment.Key: String] = [:]
        let clean = TrainerEnvironment.clean(workingDirectory: workingDirectory, command: command)
        for (name, value) in clean.merging(extra, uniquingKeysWith: { $1 }) {
            environment[Environment.Key(stringLiteral: name)] = value
        }
        return environment
    }

    /// Reads both pipes to their end while a third task stops the run at its time limit or when asked.
    private func collect(
        _ execution: Execution<NoInput, SequenceOutput, SequenceOutput>,
        phase: String,
        timeLimit: Duration,
        stopRequests: AsyncStream<Void>,
        progress: @escaping @Sendable (String) -> Void
    ) async throws -> Collected {
        let group = execution.processIdentifier.value
        // Set before the trainer is signalled: once signalled, its pipes close and the readers may
        // finish first, so the timer's own result could be cancelled before it is read.
        let expired = SharedFlag()
        let grace = command.gracePeriod
        let clock = clock
        return try await withThrowingTaskGroup(of: Stream.self) { tasks in
            tasks.addTask { try await Self.readProgress(execution.standardOutput, phase: phase, progress: progress) }
            tasks.addTask { try await Self.readTail(execution.standardError) }
            tasks.addTask {
                guard let cause = await Self.stopCause(timeLimit: timeLimit, clock: clock, stopRequests: stopRequests) else { return .stopped }
                if cause == .timeLimit { expired.raise() }
                await Self.stop(group: group, grace: grace, clock: clock)
                return .stopped
            }
            var collected = Collected()
            var pending: Set<String> = ["output", "error"]
            while let finished = try await tasks.next() {
                switch finished {
                case .standardOutput(let parsed, let dropped):
                    collected.output = parsed
                    pending.remove("output")
                    if dropped > 0 || parsed.ignoredLines > 0 {
                        logger.debug("trainer lines ignored", metadata: ["too_long": "\(dropped)", "not_json": "\(parsed.ignoredLines)"])
                    }
                case .standardError(let tail):
                    collected.tail = tail
                    pending.remove("error")
                case .stopped: break
                }
                if pending.isEmpty {
                    tasks.cancelAll()  // the time limit no longer matters
                    break
                }
            }
            collected.timedOut = expired.isRaised
            return collected
        }
    }

    /// Standard output as JSON lines, each that changes what is shown passed on as it comes.
    private static func readProgress(
        _ stream: SubprocessOutputSequence, phase: String, progress: @Sendable (String) -> Void
    ) async throws -> Stream {
        var splitter = LineSplitter(maxLineBytes: maxLineBytes)
        var output = TrainerOutput()
        for try await chunk in stream {
            for line in chunk.withUnsafeBytes({ splitter.feed($0) }) {
                if let detail = output.consume(line, phase: phase) { progress(detail) }
            }
        }
        if let line = splitter.finish(), let detail = output.consume(line, phase: phase) { progress(detail) }
        return .standardOutput(output, dropped: splitter.droppedLines)
    }

    /// The last bytes of standard error, for the reason of a failure.
    private static func readTail(_ stream: SubprocessOutputSequence) async throws -> Stream {
        var tail = OutputTail(capacity: stderrTailBytes)
        for try await chunk in stream { chunk.withUnsafeBytes { tail.append($0) } }
        return .standardError(tail)
    }

    /// SIGTERM to the whole group, then SIGKILL after the grace period; the pipes then close and
    /// the readers finish.
    private static func stop(group: pid_t, grace: Duration, clock: any Clock<Duration>) async {
        signalGroup(group, SIGTERM)
        try? await clock.sleep(for: grace)
        killGroup(group)
    }

    private func result(of status: TerminationStatus, collected: Collected) -> TrainerRunResult {
        let end: TrainerRunResult.End
        if collected.timedOut {
            end = .timedOut
        } else {
            switch status {
            case .exited(let code): end = .exited(code)
            case .signaled(let signal): end = .signalled(signal)
            }
        }
        let lastLine = collected.tail.lastLine
        if let lastLine { logger.debug("trainer standard error", metadata: ["last_line": "\(lastLine)"]) }
        return TrainerRunResult(end: end, report: collected.output.finalReport, reason: collected.output.error ?? lastLine)
    }

    /// Why the run must stop: its time limit passed, or its job was cancelled; nil if the run
    /// ended first (this waiter was cancelled).
    private static func stopCause(timeLimit: Duration, clock: any Clock<Duration>, stopRequests: AsyncStream<Void>) async -> StopCause? {
        await withTaskGroup(of: StopCause?.self) { waiters in
            waiters.addTask { (try? await clock.sleep(for: timeLimit)) == nil ? nil : .timeLimit }
            waiters.addTask {
                for await _ in stopRequests {}
                return Task.isCancelled ? nil : .cancelled
            }
            let first = await waiters.next() ?? nil
            waiters.cancelAll()
            return first
        }
    }

    static func signalGroup(_ group: pid_t, _ signal: Int32) {
        _ = Glibc.kill(-group, signal)
    }

    /// SIGKILL to every process left in the group; harmless when none is left.
    static func killGroup(_ group: pid_t) {
        _ = Glibc.kill(-group, SIGKILL)
    }
}
