import Foundation

/// The environment a trainer runs with, wherever it runs.
enum TrainerEnvironment {
    /// Nothing of the gateway's own environment (credentials, tokens) reaches the trainer: only
    /// `PATH`, so interpreters are found as the operator installed them, a home, temporary directory
    /// and locale inside its own working directory, and the command's own variables.
    static func clean(workingDirectory: URL, command: TrainerCommand) -> [String: String] {
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
}
