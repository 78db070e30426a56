import Foundation
import Logging
import SNETTraining
import Testing
import TrainingCore

@testable import TrainingGateway

/// The Slurm runner against a real one-node cluster (scripts/start-slurm.sh): shell scripts speaking
/// the trainer protocol, submitted with sbatch, followed, cancelled and taken up again. One test at
/// a time: some take the cluster's only node down.
@Suite("Slurm runner", .serialized, .enabled(if: SlurmTestCluster.shouldRun, "no Slurm cluster (apt-get install slurm-wlm munge; run as root)"))
struct SlurmRunnerTests {
    let files: TrainerTestFiles
    var root: URL { files.root }
    var dataset: URL { files.dataset }
    var method: TrainableMethod { files.method }

    init() throws {
        try SlurmTestCluster.require()
        files = try TrainerTestFiles(prefix: "gateway-slurm")
    }

    /// A trainer that is `/bin/sh -c SCRIPT`, run as a batch job; the protocol's arguments follow as $1, $2, ...
    private func trainer(
        _ script: String, timeLimit: Duration = .seconds(120), grace: Duration = .seconds(2), options: SlurmOptions = SlurmOptions()
    ) -> (trainer: SubprocessTrainer, runner: SlurmTrainerRunner) {
        var options = options
        options.pollInterval = .milliseconds(200)
        let command = TrainerCommand(
            executable: "/bin/sh", arguments: ["-c", script, "trainer"], timeLimit: timeLimit, validationTimeLimit: timeLimit,
            gracePeriod: grace, runner: .slurm(options)
        )
        let runner = SlurmTrainerRunner(
            command: command, options: options, root: root.appending(path: "jobs"), client: SlurmClient(), logger: Logger(label: "test")
        )
        return (SubprocessTrainer(command: command, runner: runner, logger: Logger(label: "test")), runner)
    }

    private func train(
        _ trainer: SubprocessTrainer, job: TrainerJob? = nil, artifact: String = "m.model", progress: ProgressLog = ProgressLog()
    ) async throws -> String {
        try await TrainerJob.$current.withValue(job) {
            try await trainer.train(
                dataset: dataset, method: method, artifact: root.appending(path: artifact), progress: ProgressReporter { progress.append($0) }
            ).text()
        }
    }

    /// Waits for `condition`, up to `timeout` (generous: the machine is shared).
    private func eventually(_ what: String, timeout: Duration = .seconds(60), _ condition: () throws -> Bool) async throws {
        let deadline = ContinuousClock.now + timeout
        while try !condition() {
            guard ContinuousClock.now < deadline else { throw SlurmTestCluster.Missing(description: "timed out waiting until \(what)") }
            try await Task.sleep(for: .milliseconds(100))
        }
    }

    /// The id of the job named `name` while the scheduler knows it.
    private func jobID(named name: String) throws -> String? {
        let text = try SlurmTestCluster.command("squeue", "--noheader", "--states=all", "--name=\(name)", "--format=%i")
        return text.split(whereSeparator: \.isNewline).first.map { $0.trimmingCharacters(in: .whitespaces) }
    }

    private func isActive(_ id: String) throws -> Bool {
        let text = try SlurmTestCluster.command("scontrol", "-o", "show", "job", id)
        guard let state = SlurmJobState(scontrolLine: text) else { return false }
        return !state.isFinished
    }

    private func failure(of work: () async throws -> String) async -> String {
        do {
            _ = try await work()
            return "no failure"
        } catch let error as TrainingError {
            return error.message
        } catch {
            return "\(error)"
        }
    }

    @Test("validate and train: the job's name carries model and run, progress while queued and running, the model delivered")
    func lifecycle() async throws {
        let rejecting = trainer(#"echo '{"error": "needs two labels"}'; exit 2"#).trainer
        await #expect(throws: DatasetRejected.self) { try await rejecting.validate(dataset: dataset, method: method, progress: .ignored) }
        let accepting = trainer(#"[ "$1" = validate ] && [ -f "$3/a.txt" ] && echo '{"report": "1 file, fine"}'"#).trainer
        #expect(try await accepting.validate(dataset: dataset, method: method, progress: .ignored) == "1 file, fine")

        let script = #"""
            [ "$1" = train ] || exit 9
            out="$5"; options="$7"
            grep -q '"dataset_files_type"' "$options" || exit 8
            [ -n "$SLURM_JOB_ID" ] || exit 7
            echo '{"progress": 0.5, "message": "half", "metrics": {"accuracy": 0.75}}'
            echo weights > "$out/model.bin"
            sleep 1
            echo '{"progress": 1, "report": "trained well"}'
            """#
        let progress = ProgressLog()
        let started = ContinuousClock.now
        let job = TrainerJob(jobID: "j\(Int.random(in: 1_000...9_999))", modelID: "m1")
        let task = Task { try await train(trainer(script).trainer, job: job, progress: progress) }
        try await eventually("the job runs") {
            progress.lines.contains { $0.hasPrefix("Training: running on the cluster") || $0.hasPrefix("Training: 50%") }
        }
        let submitToStart = ContinuousClock.now - started
        #expect(try jobID(named: "snet-train-m1-\(job.jobID)") != nil)
        let report = try await task.value
        print("slurm timing: submit to start \(submitToStart), whole training run \(ContinuousClock.now - started)")
        #expect(report == "trained well")
        #expect(progress.lines.contains("Training: 50%, half (accuracy 0.75)"))
        #expect(FileManager.default.contents(atPath: root.appending(path: "m.model/model.bin").path) == Data("weights\n".utf8))
    }

    @Test("a crash ends with the signal and the trainer's last words")
    func crash() async throws {
        let message = await failure { try await train(trainer(#"echo "segfault in native code" >&2; kill -SEGV $$"#).trainer) }
        #expect(message.contains("crashed (signal 11)") && message.contains("segfault in native code"), "\(message)")
    }

    @Test("a run past its time limit is stopped and its job ends")
    func timeLimit() async throws {
        let job = TrainerJob(jobID: "t\(Int.random(in: 1_000...9_999))", modelID: "m2")
        let message = await failure {
            try await train(trainer("sleep 300", timeLimit: .seconds(2), grace: .seconds(1)).trainer, job: job)
        }
        #expect(message.contains("time limit of 2 seconds"), "\(message)")
        if let id = try jobID(named: "snet-train-m2-\(job.jobID)") { #expect(try !isActive(id)) }
    }

    @Test("deleting the model during training: SIGTERM to the trainer first, then the job is gone")
    func cancellation() async throws {
        let termFile = root.appending(path: "got-term").path(percentEncoded: false)
        let script = """
            trap 'echo term > \(termFile); exit 143' TERM
            echo '{"progress": 0.1, "message": "started"}'
            while true; do sleep 0.1; done
            """
        let job = TrainerJob(jobID: "c\(Int.random(in: 1_000...9_999))", modelID: "m3")
        let progress = ProgressLog()
        let task = Task { try await train(trainer(script, grace: .seconds(3)).trainer, job: job, progress: progress) }
        try await eventually("the trainer runs") { progress.lines.contains { $0.contains("started") } }
        let id = try #require(try jobID(named: "snet-train-m3-\(job.jobID)"))
        let cancelled = ContinuousClock.now
        task.cancel()
        _ = await task.result
        let cancelToGone = ContinuousClock.now - cancelled
        print("slurm timing: cancel to gone \(cancelToGone)")
        #expect(FileManager.default.fileExists(atPath: termFile), "the trainer got SIGTERM first")
        #expect(try !isActive(id))
        #expect(
            !FileManager.default.fileExists(atPath: root.appending(path: "jobs/snet-train-m3-\(job.jobID)").path), "the run starts afresh if taken up again")
    }

    @Test("a gateway taking the job up again after a crash follows the job still running: the trainer runs once")
    func adoptsRunningJob() async throws {
        let runs = root.appending(path: "runs").path(percentEncoded: false)
        let script = #"echo run >> "# + runs + #"; sleep 3; echo model > "$5/m.bin"; echo '{"report": "done"}'"#
        let job = TrainerJob(jobID: "a\(Int.random(in: 1_000...9_999))", modelID: "m4")
        let (trainer, runner) = trainer(script)
        // What a gateway killed after submitting leaves: the run's directory and its job.
        let request = TrainerRunRequest(
            phase: .train, dataset: dataset, output: root.appending(path: "lost.model"), method: method, timeLimit: .seconds(120), job: job)
        let name = SlurmTrainerRunner.jobName(for: request)
        _ = try await runner.submit(request, name: name, directory: SlurmRunDirectory(url: root.appending(path: "jobs/\(name)")))
        let report = try await train(trainer, job: job, artifact: "taken.model")
        #expect(report == "done")
        #expect(FileManager.default.contents(atPath: runs) == Data("run\n".utf8), "the trainer ran once")
        #expect(FileManager.default.fileExists(atPath: root.appending(path: "taken.model/m.bin").path))
    }

    @Test("a gateway down for longer than MinJobAge takes the outcome from the status file: a finished run is never run again")
    func outcomeAfterTheSchedulerForgot() async throws {
        let runs = root.appending(path: "runs").path(percentEncoded: false)
        let script = #"echo run >> "# + runs + #"; echo model > "$5/m.bin"; echo '{"report": "finished while away"}'"#
        let job = TrainerJob(jobID: "f\(Int.random(in: 1_000...9_999))", modelID: "m5")
        let (trainer, runner) = trainer(script)
        let request = TrainerRunRequest(
            phase: .train, dataset: dataset, output: root.appending(path: "lost.model"), method: method, timeLimit: .seconds(120), job: job)
        let name = SlurmTrainerRunner.jobName(for: request)
        let id = try await runner.submit(request, name: name, directory: SlurmRunDirectory(url: root.appending(path: "jobs/\(name)")))
        // MinJobAge is 5 s in the test cluster; the controller purges a little later.
        try await eventually("the scheduler forgets the job", timeout: .seconds(120)) {
            try SlurmTestCluster.command("scontrol", "-o", "show", "job", id).contains("Invalid job id")
        }
        let report = try await train(trainer, job: job, artifact: "taken.model")
        #expect(report == "finished while away")
        #expect(FileManager.default.contents(atPath: runs) == Data("run\n".utf8), "the trainer ran once")
        #expect(FileManager.default.fileExists(atPath: root.appending(path: "taken.model/m.bin").path))
    }

    @Test("a job the cluster's administrator cancels ends ERRORED with that reason")
    func cancelledByTheScheduler() async throws {
        let job = TrainerJob(jobID: "s\(Int.random(in: 1_000...9_999))", modelID: "m6")
        let progress = ProgressLog()
        let task = Task { await failure { try await train(trainer("echo '{\"message\": \"up\"}'; sleep 300").trainer, job: job, progress: progress) } }
        try await eventually("the trainer runs") { progress.lines.contains { $0.contains("up") } }
        let id = try #require(try jobID(named: "snet-train-m6-\(job.jobID)"))
        try SlurmTestCluster.command("scancel", id)
        let message = await task.value
        #expect(message.contains("cancelled the job") || message.contains("stopped the job"), "\(message)")
    }

    @Test("the node set DOWN under a running job: the job is submitted again and finishes once the node is back")
    func nodeDown() async throws {
        let runs = root.appending(path: "runs").path(percentEncoded: false)
        // The first attempt runs until the node goes down; the second finishes.
        let script = #"""
            echo run >> "\#(runs)"
            if [ "$(wc -l < "\#(runs)")" -eq 1 ]; then echo '{"message": "first"}'; sleep 300; fi
            echo model > "$5/m.bin"; echo '{"report": "second attempt"}'
            """#
        let job = TrainerJob(jobID: "n\(Int.random(in: 1_000...9_999))", modelID: "m7")
        let progress = ProgressLog()
        let task = Task { try await train(trainer(script, options: SlurmOptions(resubmissions: 1)).trainer, job: job, progress: progress) }
        try await eventually("the first attempt runs") { progress.lines.contains { $0.contains("first") } }
        let node = SlurmTestCluster.node
        try SlurmTestCluster.command("scontrol", "update", "NodeName=\(node)", "State=DOWN", "Reason=test")
        do {
            try await eventually("the job is submitted again") { progress.lines.contains { $0.contains("submitted again (1 of 1)") } }
            try await eventually("the new job waits for the node") { progress.lines.contains { $0.hasPrefix("Training: queued on the cluster") } }
        } catch {
            try SlurmTestCluster.command("scontrol", "update", "NodeName=\(node)", "State=RESUME")
            throw error
        }
        try SlurmTestCluster.command("scontrol", "update", "NodeName=\(node)", "State=RESUME")
        #expect(try await task.value == "second attempt")
        #expect(progress.lines.contains { $0.contains("node running it failed") }, "\(progress.lines)")
    }

    @Test("a job that never starts is cancelled past the pending limit, with the scheduler's reason")
    func pendingLimit() async throws {
        let job = TrainerJob(jobID: "p\(Int.random(in: 1_000...9_999))", modelID: "m8")
        let progress = ProgressLog()
        // Held back an hour by the scheduler: as good as a cluster with no free node.
        let options = SlurmOptions(extraArguments: ["--begin=now+3600"], pendingLimit: .seconds(2))
        let message = await failure { try await train(trainer("true", options: options).trainer, job: job, progress: progress) }
        #expect(message.contains("did not start on the cluster within 2 seconds (partition debug, reason BeginTime)"), "\(message)")
        #expect(progress.lines.contains("Training: queued on the cluster (partition debug, reason BeginTime)"), "\(progress.lines)")
        if let id = try jobID(named: "snet-train-m8-\(job.jobID)") { #expect(try !isActive(id)) }
    }

    @Test("the sweep cancels and removes runs whose registry job has ended or is gone, and keeps those still wanted")
    func sweep() async throws {
        let registry = InMemoryModelRegistry()
        let now = Date()
        var model = ModelRecord(id: "m9", method: method.name, now: now)
        try await registry.create(model)
        try model.beginValidation(dataset: nil, link: "file:///x", now: now)
        model = try await registry.save(model, enqueueing: TrainingJob(id: "ended", modelID: "m9", kind: .validate, now: now))
        // A newer job of the same model cancels the first.
        _ = try await registry.save(model, enqueueing: TrainingJob(id: "wanted", modelID: "m9", kind: .validate, now: now))
        let runner = trainer("sleep 300").runner
        var jobs: [String: (directory: SlurmRunDirectory, id: String)] = [:]
        for owner in ["ended", "wanted", "gone"] {
            let request = TrainerRunRequest(
                phase: .validate, dataset: dataset, method: method, timeLimit: .seconds(120), job: TrainerJob(jobID: owner, modelID: "m9")
            )
            let name = SlurmTrainerRunner.jobName(for: request)
            let directory = SlurmRunDirectory(url: root.appending(path: "jobs/\(name)", directoryHint: .isDirectory))
            jobs[owner] = (directory, try await runner.submit(request, name: name, directory: directory))
        }
        defer { for (_, job) in jobs { _ = try? SlurmTestCluster.command("scancel", job.id) } }
        await SlurmRunSweep(roots: [root.appending(path: "jobs")], registry: registry, client: SlurmClient(), logger: Logger(label: "test")).run()
        for owner in ["ended", "gone"] {
            let job = try #require(jobs[owner])
            #expect(!job.directory.exists, "\(owner)'s run is removed")
            try await eventually("\(owner)'s job is cancelled") { try !isActive(job.id) }
        }
        let wanted = try #require(jobs["wanted"])
        #expect(wanted.directory.exists)
        #expect(try isActive(wanted.id))
    }

    @Test("a job sbatch refuses ends with sbatch's reason")
    func refused() async throws {
        let message = await failure { try await train(trainer("true", options: SlurmOptions(partition: "nowhere")).trainer) }
        #expect(message.contains("the cluster refused the job") && message.contains("nowhere"), "\(message)")
    }

    @Test("on the cluster too: nothing of the gateway's environment, a working directory of its own as HOME and TMPDIR")
    func isolation() async throws {
        setenv("GATEWAY_SLURM_TEST_SECRET", "s3cret", 1)
        defer { unsetenv("GATEWAY_SLURM_TEST_SECRET") }
        let script = #"""
            [ -z "$GATEWAY_SLURM_TEST_SECRET" ] || { echo '{"error": "secret leaked"}'; exit 2; }
            [ "$(pwd)" = "$HOME" ] && [ "$TMPDIR" = "$HOME" ] || { echo "{\"error\": \"wrong directory: $(pwd) $HOME $TMPDIR\"}"; exit 2; }
            [ -z "$(ls -A)" ] || { echo '{"error": "directory not empty"}'; exit 2; }
            echo "{\"report\": \"$(pwd)\"}"
            """#
        let directory = try await trainer(script).trainer.validate(dataset: dataset, method: method, progress: .ignored).text()
        #expect(directory.hasPrefix(root.appending(path: "jobs").path(percentEncoded: false)), "\(directory)")
    }
}
