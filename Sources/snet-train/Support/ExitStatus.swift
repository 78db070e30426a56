import ArgumentParser

/// `snet-train`'s exit codes, documented in `snet-train --help` and docs/snet-train.md: scripts and CI
/// branch on them, so they never change meaning.
enum ExitStatus: Int32, CaseIterable {
    /// The command did what it was asked; `watch`: the model is READY_TO_USE.
    case success = 0
    /// Something failed on this machine: an unreadable file, a bad descriptor set, a malformed response.
    case localFailure = 1
    /// The server answered the call with a gRPC error (its code and message are printed).
    case serverError = 2
    /// The endpoint could not be reached (UNAVAILABLE, DEADLINE_EXCEEDED).
    case unreachable = 3
    /// `upload`: the dataset breaks the method's limits; nothing was sent.
    case datasetRejected = 4
    /// `watch`: the model ended ERRORED.
    case modelErrored = 5
    /// `watch`: the model is DELETED.
    case modelDeleted = 6
    /// `watch`: `--timeout` passed before the model reached a final status.
    case timedOut = 7
    /// `inspect --strict`: the published training options have warnings.
    case warnings = 8
    /// The command line is wrong (ArgumentParser's usage exit code).
    case usage = 64

    var exitCode: ExitCode { ExitCode(rawValue) }

    /// The table printed in `--help`.
    static var helpText: String {
        """
        Exit codes:
          0   success (watch: READY_TO_USE)
          1   failure on this machine (unreadable file, bad descriptor set, ...)
          2   the server answered with a gRPC error (code and message printed)
          3   the endpoint could not be reached (UNAVAILABLE, DEADLINE_EXCEEDED)
          4   upload: the dataset breaks the method's limits; nothing was sent
          5   watch: the model ended ERRORED
          6   watch: the model was DELETED
          7   watch: --timeout passed first
          8   inspect --strict: the published training options have warnings
          64  usage error
        """
    }
}

/// A failure that ends the command with a one-line message and an exit code.
struct CommandFailure: Error {
    var status: ExitStatus
    /// A short machine-readable kind for `--json` (`NOT_FOUND`, `DATASET_REJECTED`, …).
    var code: String
    var message: String
    /// Further lines for people (e.g. each dataset problem); also in `--json` as `details`.
    var details: [String] = []
    /// The command to run next, when there is an obvious one (`snet-train watch ID`).
    var next: String? = nil
}
