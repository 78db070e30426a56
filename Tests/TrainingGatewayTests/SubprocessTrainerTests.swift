import Foundation
import Logging
import SNETTraining
import Testing
import TrainingTesting

@testable import TrainingGateway

/// The subprocess trainer against real processes: shell scripts speaking the trainer protocol.
@Suite("Subprocess trainer")
struct SubprocessTrainerTests {
    let files: TrainerTestFiles
    var root: URL { files.root }
    var dataset: URL { files.dataset }
    var method: TrainableMethod { files.method }

    init() throws {
        files = try TrainerTestFiles(prefix: "gateway-trainer")
    }

    /// A trainer that is `/bin/sh -c SCRIPT`; the protocol's arguments follow as $1, $2, ...
    private func trainer(
        _ script: String, timeLimit: Duration = .seconds(60), grace: Duration = .seconds(2), clock: some Clock<Duration> = ContinuousClock()
    ) -> SubprocessTrainer {
        let command = TrainerCommand(
            executable: "/bin/sh", arguments: ["-c", script, "trainer"], timeLimit: timeLimit,
            validationTimeLimit: timeLimit, gracePeriod: grace
        )
        return SubprocessTrainer(command: command, workRoot: root.appending(path: "runs"), clock: clock, logger: Logger(label: "test"))
    }

    /// Waits (real time, generously: the machine is shared) until `condition` holds; whether it did.
    private func eventually(_ condition: () -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + .seconds(60)
        while !condition(), ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(20)) }
        return condition()
    }

    /// Processes whose command line contains `marker`.
    private func processes(containing marker: String) -> [String] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.filter { entry in
            guard Int(entry) != nil, let data = FileManager.default.contents(atPath: "/proc/\(entry)/cmdline") else { return false }
            return String(decoding: data.map { $0 == 0 ? 32 : $0 }, as: UTF8.self).contains(marker)
        }
    }

    /// Whether every process whose command line contains `marker` is gone within a few seconds:
    /// SIGKILL is sent when the run ends, and a killed process takes a moment to exit.
    private func allGone(_ marker: String) async -> Bool {
        let deadline = ContinuousClock.now + .seconds(5)
        while !processes(containing: marker).isEmpty {
            guard ContinuousClock.now < deadline else { return false }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return true
    }

    @Test("validate: the report of a valid dataset; exit 2 rejects it with the trainer's error")
    func validateOutcomes() async throws {
        let accepting = trainer(#"[ "$1" = validate ] && [ -f "$3/a.txt" ] && echo '{"report": "1 file, fine"}'"#)
        #expect(try await accepting.validate(dataset: dataset, method: method, progress: .ignored) == "1 file, fine")

        let rejecting = trainer(#"echo 'noise'; echo '{"error": "needs two labels"}'; exit 2"#)
        await #expect(throws: DatasetRejected.self) {
            try await rejecting.validate(dataset: dataset, method: method, progress: .ignored)
        }
        do {
            _ = try await rejecting.validate(dataset: dataset, method: method, progress: .ignored)
        } catch let rejected as DatasetRejected {
            #expect(rejected.reason == "needs two labels")
        }
    }

    @Test("train: progress lines reach the reporter as they come; the model is the output directory; options JSON")
    func trainWritesModel() async throws {
        let script = #"""
            [ "$1" = train ] || exit 9
            out="$5"; options="$7"
            grep -q '"dataset_files_type"' "$options" || exit 8
            echo '{"progress": 0.5, "message": "half", "metrics": {"accuracy": 0.75}}'
            echo weights > "$out/model.bin"
            echo '{"progress": 1, "report": "trained well"}'
            """#
        let progress = ProgressLog()
        let artifact = root.appending(path: "models/m1.model")
        let report = try await trainer(script).train(
            dataset: dataset, method: method, artifact: artifact, progress: ProgressReporter { progress.append($0) }
        )
        #expect(report == "trained well")
        #expect(progress.lines.contains("Training: 50%, half (accuracy 0.75)"))
        #expect(FileManager.default.fileExists(atPath: artifact.appending(path: "model.bin").path))
        #expect(try await trainer("true").loadModel(artifact: artifact) == artifact)
    }

    @Test("a crash and a failure end with the reason; an empty output directory is a failure")
    func failures() async throws {
        let crash = trainer(#"echo "segfault in native code" >&2; kill -SEGV $$"#)
        await #expect(throws: TrainingError.self) {
            try await crash.train(dataset: dataset, method: method, artifact: root.appending(path: "c.model"), progress: .ignored)
        }
        do {
            _ = try await crash.train(dataset: dataset, method: method, artifact: root.appending(path: "c2.model"), progress: .ignored)
        } catch let error as TrainingError {
            #expect(error.message.contains("crashed (signal 11)"))
            #expect(error.message.contains("segfault in native code"))
        }
        do {
            _ = try await trainer("exit 0").train(dataset: dataset, method: method, artifact: root.appending(path: "e.model"), progress: .ignored)
            Issue.record("an empty output directory was accepted")
        } catch let error as TrainingError {
            #expect(error.message.contains("left nothing"))
        }
    }

    @Test("a clean environment and a working directory of its own")
    func isolation() async throws {
        setenv("GATEWAY_TEST_SECRET", "s3cret", 1)
        defer { unsetenv("GATEWAY_TEST_SECRET") }
        let script = #"""
            [ -z "$GATEWAY_TEST_SECRET" ] || { echo '{"error": "secret leaked"}'; exit 2; }
            [ "$(pwd)" = "$HOME" ] && [ "$TMPDIR" = "$HOME" ] || { echo "{\"error\": \"wrong directory: pwd $(pwd) HOME $HOME TMPDIR $TMPDIR\"}"; exit 2; }
            [ -z "$(ls -A | grep -v options.json)" ] || { echo '{"error": "directory not empty"}'; exit 2; }
            echo "{\"report\": \"$(pwd)\"}"
            """#
        let directory = try await trainer(script).validate(dataset: dataset, method: method, progress: .ignored).summary
        #expect(directory.hasPrefix(root.appending(path: "runs").path(percentEncoded: false)))
        #expect(!FileManager.default.fileExists(atPath: directory), "the working directory is removed after the run")
    }

    @Test("at its time limit, not before, a run gets SIGTERM; what ignores it is killed when the grace period passes, not before")
    func timeLimit() async throws {
        let marker = "3\(Int.random(in: 100_000...999_999)).25"
        let termFile = root.appending(path: "got-term").path(percentEncoded: false)
        // The trainer notes SIGTERM and carries on; its child ignores SIGTERM.
        let script = """
            trap 'echo term > \(termFile)' TERM
            (trap '' TERM; exec sleep \(marker)) &
            echo '{"progress": 0.1, "message": "started"}'
            while true; do sleep 0.1; done
            """
        let clock = TestClock()
        let progress = ProgressLog()
        let task = Task {
            try await trainer(script, timeLimit: .seconds(3_600), grace: .seconds(600), clock: clock).train(
                dataset: dataset, method: method, artifact: root.appending(path: "t.model"), progress: ProgressReporter { progress.append($0) }
            )
        }
        defer { task.cancel() }
        let running = { processes(containing: "sleep \(marker)").count == 2 }  // the shell and its child
        #expect(await eventually { progress.lines.contains { $0.contains("started") } && running() })
        #expect(try await clock.waitForSleepers(sleepingFor: .seconds(3_600)), "the time limit is set")

        clock.advance(by: .seconds(3_599))
        try await Task.sleep(for: .milliseconds(200))
        #expect(!FileManager.default.fileExists(atPath: termFile), "no signal before the limit")

        clock.advance(by: .seconds(1))
        #expect(await eventually { FileManager.default.fileExists(atPath: termFile) }, "SIGTERM at the limit")
        #expect(try await clock.waitForSleepers(sleepingFor: .seconds(600)), "the grace period runs")
        clock.advance(by: .seconds(599))
        try await Task.sleep(for: .milliseconds(200))
        #expect(running(), "nothing is killed during the grace period")

        clock.advance(by: .seconds(1))
        do {
            _ = try await task.value
            Issue.record("the time limit did not stop the run")
        } catch let error as TrainingError {
            #expect(error.message.contains("time limit of 3600 seconds"), "\(error.message)")
        }
        #expect(await allGone("sleep \(marker)"), "no process of the run is left")
    }

    @Test("cancelling the job sends SIGTERM to the group first, then kills whatever ignores it")
    func cancellation() async throws {
        let marker = "4\(Int.random(in: 100_000...999_999)).25"
        let termFile = root.appending(path: "got-term").path(percentEncoded: false)
        // The trainer traps SIGTERM (and records it); its child ignores SIGTERM and must be killed.
        let script = """
            trap 'echo term > \(termFile); exit 143' TERM
            (trap '' TERM; exec sleep \(marker)) &
            echo '{"progress": 0.1, "message": "started"}'
            while true; do sleep 0.1; done
            """
        let progress = ProgressLog()
        let task = Task {
            try await trainer(script, grace: .seconds(1)).train(
                dataset: dataset, method: method, artifact: root.appending(path: "x.model"), progress: ProgressReporter { progress.append($0) }
            )
        }
        while !progress.lines.contains(where: { $0.contains("started") }) { try await Task.sleep(for: .milliseconds(50)) }
        // The shell (its script names the marker) and the sleep it started.
        // (A moment after the fork, the subshell may not have become sleep yet.)
        let deadline = ContinuousClock.now + .seconds(5)
        while processes(containing: "sleep \(marker)").count != 2, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
        #expect(processes(containing: "sleep \(marker)").count == 2)
        task.cancel()
        _ = await task.result
        #expect(FileManager.default.fileExists(atPath: termFile), "the trainer got SIGTERM first")
        #expect(await allGone("sleep \(marker)"), "the child that ignored SIGTERM was killed")
    }
}

/// Progress lines collected from another task.
final class ProgressLog: @unchecked Sendable {
    private let lock = NSLock()
    private var collected: [String] = []

    func append(_ line: String) {
        lock.withLock { collected.append(line) }
    }

    var lines: [String] { lock.withLock { collected } }
}
