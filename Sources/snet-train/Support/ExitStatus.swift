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
    /// `upload`, `pack`, `check`: the dataset breaks the method's rules; nothing was sent or written.
    case datasetRejected = 4
    /// `watch`: the model ended ERRORED.
    case modelErrored = 5
    /// `watch`: the model is DELETED.
    case modelDeleted = 6
    /// `watch`: `--timeout` passed before the model reached a final status.
    case timedOut = 7
    /// `inspect --strict`: the published training options have warnings.
    case warnings = 8
    /// `check`: the server would accept the archive, but the Python SDK would refuse to send it.
    case sdkWouldRefuse = 9
    /// The command line is wrong (ArgumentParser's usage exit code).
    case usage = 64
    /// `upload`: stopped by Ctrl-C (128 + SIGINT, as shells report it); the model's state is printed.
    case interrupted = 130

    var exitCode: ExitCode { ExitCode(rawValue) }

    /// The table printed in `--help`.
    static var helpText: String {
        """
        Exit codes:
          0   success (watch: READY_TO_USE)
          1   failure on this machine (unreadable file, bad descriptor set, ...)
          2   the server answered with a gRPC error (code and message printed)
          3   the endpoint could not be reached (UNAVAILABLE, DEADLINE_EXCEEDED)
          4   upload, pack, check: the dataset breaks the method's rules (nothing was sent or written)
          5   watch: the model ended ERRORED
          6   watch: the model was DELETED
          7   watch: --timeout passed first
          8   inspect --strict: the published training options have warnings
          9   check: only the Python SDK would refuse the archive
          64  usage error
          130 upload: interrupted (Ctrl-C); the model's state is printed
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
    /// An UNAVAILABLE error's own message, kept to show it alone if the endpoint turns out to be up.
    var serverMessage: String? = nil
}
