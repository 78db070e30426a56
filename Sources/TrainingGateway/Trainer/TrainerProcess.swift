import Foundation
import Glibc
import Logging
import Subprocess
import Synchronization
import SystemPackage
import TrainingCore

/// How one trainer run ended.
struct TrainerRunResult: Sendable {
    enum End: Sendable, Equatable {
        case exited(Int32)
        case signalled(Int32)
        case timedOut
    }

    var end: End
    /// The last `report`, with the last `figures` and `confusion`; nil if the trainer printed no `report`.
    var report: TrainingReport?
    /// The trainer's own reason: its last `error` line, else its last line on standard error.
    var reason: String?
}

/// Runs a trainer program once: in its own session (so its process group can be signalled as a
/// whole without touching the gateway), in an empty working directory, with a clean environment,
/// under a time limit. Every process of the group is killed when the run ends, whichever way it ends.
struct TrainerProcess {
    static let maxLineBytes = 16 * 1024
    /// Set in every trainer's environment to the gateway's work root, so ``StaleTrainerSweep`` can
    /// recognise trainers a crashed gateway left running.
    static let runMarker = "TRAINING_GATEWAY_RUN"
    static let stderrTailBytes = 8 * 1024

    let command: TrainerCommand
    let logger: Logger

    func run(
        arguments: [String],
        workingDirectory: URL,
        timeLimit: Duration,
        phase: String,
        environment extra: [String: String],
        progress: @escaping @Sendable (String) -> Void
    ) async throws -> TrainerRunResult {
        var platform = PlatformOptions()
        platform.createSession = true
        // Should reading the trainer's output fail, Subprocess runs this, then SIGKILLs the group.
        platform.teardownSequence = [
            .send(signal: .terminate, toProcessGroup: true, allowedDurationToNextStep: command.gracePeriod)
        ]
        var environment: [Environment.Key: String] = [:]
        for (name, value) in cleanEnvironment(workingDirectory: workingDirectory).merging(extra, uniquingKeysWith: { $1 }) {
            environment[Environment.Key(stringLiteral: name)] = value
        }
        let grace = command.gracePeriod
        let leader = Mutex<pid_t?>(nil)
        // Whichever way the run ends, nothing of its process group outlives it: the trainer may have
        // left children behind, and Subprocess's teardown stops at the group leader's exit.
        defer { if let group = leader.withLock({ $0 }) { Self.killGroup(group) } }
        // Cancellation (delete_model, shutdown) does not reach the run itself: it would close the
        // pipes at once, and a trainer writing its last words after SIGTERM would die of SIGPIPE
        // before its own handler finished. Instead it asks the run to stop, the way the time limit
        // does: SIGTERM to the group, SIGKILL after the grace period, the pipes read to their end.
        let (stopRequests, requestStop) = AsyncStream<Void>.makeStream()
        let run = Task {
            try await Subprocess.run(
                .path(FilePath(command.executable)),
                arguments: Arguments(command.arguments + arguments),
                environment: .custom(environment),
                workingDirectory: FilePath(workingDirectory.path(percentEncoded: false)),
                platformOptions: platform,
                input: .none,
                output: .sequence,
                error: .sequence
            ) { execution in
                let group = execution.processIdentifier.value
                // Set before the trainer is signalled: once signalled, its pipes close and the readers
                // may finish first, so the timer's own result could be cancelled before it is read.
                let expired = SharedFlag()
                leader.withLock { $0 = group }
                return try await withThrowingTaskGroup(of: Stream.self) { tasks in
                    tasks.addTask {
                        var splitter = LineSplitter(maxLineBytes: Self.maxLineBytes)
                        var output = TrainerOutput()
                        for try await chunk in execution.standardOutput {
                            for line in chunk.withUnsafeBytes({ splitter.feed($0) }) {
                                if let detail = output.consume(line, phase: phase) { progress(detail) }
                            }
                        }
                        if let line = splitter.finish(), let detail = output.consume(line, phase: phase) { progress(detail) }
                        return .standardOutput(output, dropped: splitter.droppedLines)
                    }
                    tasks.addTask {
                        var tail = OutputTail(capacity: Self.stderrTailBytes)
                        for try await chunk in execution.standardError { chunk.withUnsafeBytes { tail.append($0) } }
                        return .standardError(tail)
                    }
                    tasks.addTask {
                        guard let cause = await Self.stopCause(timeLimit: timeLimit, stopRequests: stopRequests) else { return .stopped }
                        if cause == .timeLimit { expired.raise() }
                        // SIGTERM to the whole group, then SIGKILL after the grace period; the pipes
                        // then close and the readers above finish.
                        Self.signalGroup(group, SIGTERM)
                        try await Task.sleep(for: grace)
                        Self.killGroup(group)
                        return .stopped
                    }
                    var output: TrainerOutput?
                    var tail: OutputTail?
                    while let finished = try await tasks.next() {
                        switch finished {
                        case .standardOutput(let parsed, let dropped):
                            output = parsed
                            if dropped > 0 || parsed.ignoredLines > 0 {
                                logger.debug("trainer lines ignored", metadata: ["too_long": "\(dropped)", "not_json": "\(parsed.ignoredLines)"])
                            }
                        case .standardError(let collected): tail = collected
                        case .stopped: break
                        }
                        if output != nil, tail != nil {
                            tasks.cancelAll()  // the time limit no longer matters
                            break
                        }
                    }
                    return (output ?? TrainerOutput(), tail ?? OutputTail(capacity: 0), expired.isRaised)
                }
            }
        }
        let execution = try await withTaskCancellationHandler {
            try await run.value
        } onCancel: {
            requestStop.finish()
        }
        if Task.isCancelled { throw CancellationError() }
        let (output, tail, timedOut) = execution.closureResult
        let end: TrainerRunResult.End
        if timedOut {
            end = .timedOut
        } else {
            switch execution.terminationStatus {
            case .exited(let code): end = .exited(code)
            case .signaled(let signal): end = .signalled(signal)
            }
        }
        if let lastLine = tail.lastLine { logger.debug("trainer standard error", metadata: ["last_line": "\(lastLine)"]) }
        return TrainerRunResult(end: end, report: output.finalReport, reason: output.error ?? tail.lastLine)
    }

    private enum Stream: Sendable {
        case standardOutput(TrainerOutput, dropped: Int)
        case standardError(OutputTail)
        case stopped
    }

    private enum StopCause { case timeLimit, cancelled }

    /// Why the run must stop: its time limit passed, or its job was cancelled; nil if the run
    /// ended first (this waiter was cancelled).
    private static func stopCause(timeLimit: Duration, stopRequests: AsyncStream<Void>) async -> StopCause? {
        await withTaskGroup(of: StopCause?.self) { waiters in
            waiters.addTask { (try? await Task.sleep(for: timeLimit)) == nil ? nil : .timeLimit }
            waiters.addTask {
                for await _ in stopRequests {}
                return Task.isCancelled ? nil : .cancelled
            }
            let first = await waiters.next() ?? nil
            waiters.cancelAll()
            return first
        }
    }

    /// Nothing of the gateway's own environment (credentials, tokens) reaches the trainer: only
    /// `PATH`, so interpreters are found as the operator installed them, and a home, temporary
    /// directory and locale inside its own working directory.
    private func cleanEnvironment(workingDirectory: URL) -> [String: String] {
        // Without the directory URL's trailing slash, so $HOME and $(pwd) read the same.
        var directory = workingDirectory.path(percentEncoded: false)
        while directory.count > 1, directory.hasSuffix("/") { directory.removeLast() }
        var environment = [
            "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin",
            "HOME": directory,
            "TMPDIR": directory,
            "LANG": "C.UTF-8",
        ]
        environment.merge(command.environment) { $1 }
        return environment
    }

    static func signalGroup(_ group: pid_t, _ signal: Int32) {
        _ = Glibc.kill(-group, signal)
    }

    /// SIGKILL to every process left in the group; harmless when none is left.
    static func killGroup(_ group: pid_t) {
        _ = Glibc.kill(-group, SIGKILL)
    }
}
