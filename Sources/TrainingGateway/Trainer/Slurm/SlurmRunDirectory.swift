import Foundation
import TrainingCore

/// One run's directory on the shared storage, named like its job. The gateway writes the batch
/// script, the options and the job's id; the batch script writes the trainer's output and, when
/// the trainer ends, its exit status. All of it outlives the gateway, so a gateway started after a
/// crash finds the run again, and outlives the scheduler's memory of the job (`MinJobAge`).
struct SlurmRunDirectory {
    /// Why the gateway stopped the job, written before it does: such a run is never taken up again.
    enum StopCause: String {
        case cancelled, timeLimit, pendingLimit
    }

    let url: URL

    var script: URL { url.appending(path: "job.sh") }
    var options: URL { url.appending(path: "options.json") }
    /// The trainer's working directory, `HOME` and `TMPDIR`.
    var work: URL { url.appending(path: "work", directoryHint: .isDirectory) }
    /// Where the trainer writes the model; moved to the model's place when the run succeeds.
    var output: URL { url.appending(path: "output", directoryHint: .isDirectory) }
    var standardOutput: URL { url.appending(path: "stdout") }
    var standardError: URL { url.appending(path: "stderr") }
    /// The batch script's own output (Slurm's `--output`): errors of the script itself.
    var schedulerOutput: URL { url.appending(path: "slurm.out") }
    private var status: URL { url.appending(path: "status") }
    private var jobIDFile: URL { url.appending(path: "slurm-job-id") }
    private var ownerFile: URL { url.appending(path: "owner") }
    private var stopFile: URL { url.appending(path: "stopped") }
    /// Where a successful run's output was moved (written before the move).
    private var deliveredFile: URL { url.appending(path: "delivered") }

    var path: String { url.path(percentEncoded: false) }

    /// A fresh directory: anything of an earlier attempt is removed first.
    func create(owner: TrainerJob?) throws {
        try? FileManager.default.removeItem(at: url)
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        if let owner { try Data(owner.jobID.utf8).write(to: ownerFile) }
    }

    var exists: Bool { FileManager.default.fileExists(atPath: path) }

    func remove() { try? FileManager.default.removeItem(at: url) }

    /// The job (registry id) this run is for.
    var owner: String? { read(ownerFile) }

    var slurmJobID: String? {
        get { read(jobIDFile) }
        nonmutating set { try? Data((newValue ?? "").utf8).write(to: jobIDFile, options: .atomic) }
    }

    var stopCause: StopCause? {
        get { read(stopFile).flatMap(StopCause.init(rawValue:)) }
        nonmutating set { try? Data((newValue?.rawValue ?? "").utf8).write(to: stopFile, options: .atomic) }
    }

    var deliveredTo: URL? {
        get { read(deliveredFile).map { URL(filePath: $0, directoryHint: .isDirectory) } }
        nonmutating set { try? Data((newValue?.path(percentEncoded: false) ?? "").utf8).write(to: deliveredFile, options: .atomic) }
    }

    /// How the trainer ended, as the batch script recorded it: `STATUS` or `STATUS terminated`
    /// (the script got SIGTERM); a status above 128 is a death by signal `STATUS - 128`, as in the shell.
    var recordedEnd: (end: TrainerRunResult.End, terminated: Bool)? {
        guard let text = read(status) else { return nil }
        let words = text.split(separator: " ")
        guard let first = words.first, let code = Int32(first) else { return nil }
        let end: TrainerRunResult.End = code > 128 ? .signalled(code - 128) : .exited(code)
        return (end, words.contains("terminated"))
    }

    /// Forgets an attempt's end and output before the job is submitted again.
    func resetForResubmission() {
        for file in [status, standardOutput, standardError, schedulerOutput, jobIDFile] { try? FileManager.default.removeItem(at: file) }
        try? FileManager.default.removeItem(at: output)
    }

    private func read(_ file: URL) -> String? {
        guard let data = FileManager.default.contents(atPath: file.path(percentEncoded: false)) else { return nil }
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? nil : text
    }
}
