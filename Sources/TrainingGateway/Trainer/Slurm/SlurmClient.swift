import Foundation
import Subprocess

/// Slurm's own commands (`sbatch`, `scontrol`, `squeue`, `scancel`), found on the gateway's `PATH`
/// and run with its environment (so `SLURM_CONF` and the operator's settings apply).
struct SlurmClient: SlurmScheduler {
    /// A Slurm command that failed; `message` is its standard error.
    struct CommandFailed: Error, CustomStringConvertible {
        var command: String
        var message: String
        var description: String { "\(command) failed: \(message)" }
    }

    static let commands = ["sbatch", "scontrol", "squeue", "scancel"]

    /// Submits `script`; returns the job's id.
    func submit(script: URL, arguments: [String]) async throws -> String {
        let output = try await run("sbatch", ["--parsable"] + arguments + [script.path(percentEncoded: false)])
        // `--parsable` prints `id` or `id;cluster`.
        guard let id = output.split(whereSeparator: { $0 == ";" || $0.isNewline }).first, Int(id) != nil else {
            throw CommandFailed(command: "sbatch", message: "unexpected answer '\(output)'")
        }
        return String(id)
    }

    /// The job's state; nil once the scheduler no longer knows it (after `MinJobAge`).
    func job(_ id: String) async throws -> SlurmJobState? {
        do {
            let output = try await run("scontrol", ["-o", "show", "job", id])
            return output.split(whereSeparator: \.isNewline).lazy.compactMap { SlurmJobState(scontrolLine: String($0)) }.first
        } catch let failure as CommandFailed where failure.message.contains("Invalid job id") {
            return nil
        }
    }

    /// The id of the job named `name` that the scheduler still knows, if any (the newest).
    func job(named name: String) async throws -> String? {
        let output = try await run("squeue", ["--noheader", "--states=all", "--name=\(name)", "--format=%i"])
        return output.split(whereSeparator: \.isNewline).compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }.max().map(String.init)
    }

    /// Sends `signal` to every process of the job, its batch script included.
    func signal(_ id: String, _ signal: String) async throws {
        _ = try await run("scancel", ["--full", "--signal=\(signal)", id])
    }

    /// Ends the job (the scheduler sends SIGTERM, then SIGKILL after its `KillWait`).
    func cancel(_ id: String) async throws {
        _ = try await run("scancel", [id])
    }

    private func run(_ command: String, _ arguments: [String]) async throws -> String {
        let result = try await Subprocess.run(
            .name(command), arguments: Arguments(arguments), input: .none,
            output: .string(limit: 256 * 1024), error: .string(limit: 64 * 1024)
        )
        guard result.terminationStatus.isSuccess else {
            // The first line says what is wrong; later ones repeat it in general terms.
            let message = (result.standardError ?? "").split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
            throw CommandFailed(command: command, message: message.isEmpty ? "\(result.terminationStatus)" : message)
        }
        return result.standardOutput ?? ""
    }
}
