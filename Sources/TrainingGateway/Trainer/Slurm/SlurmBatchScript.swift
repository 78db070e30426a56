import Foundation

/// The batch script of one run. It starts the trainer in the run's working directory with the
/// protocol's environment, its standard output and error going to files the gateway follows,
/// passes SIGTERM on to it (`scancel --signal=TERM`), and records its exit status on the shared
/// storage before the job ends.
enum SlurmBatchScript {
    static func text(command: [String], directory: SlurmRunDirectory, environment: [String: String]) -> String {
        let exports = environment.sorted { $0.key < $1.key }
            .filter { $0.key.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" } }
            .map { "export \($0.key)=\(quoted($0.value))" }
            .joined(separator: "\n")
        let status = quoted(directory.url.appending(path: "status").path(percentEncoded: false))
        let partial = quoted(directory.url.appending(path: "status.partial").path(percentEncoded: false))
        return """
            #!/bin/sh
            # One run of a trainer, submitted by training-gateway (docs/gateway.md).
            \(exports)
            cd \(quoted(directory.work.path(percentEncoded: false))) || exit 1
            \(command.map(quoted).joined(separator: " ")) > \(quoted(directory.standardOutput.path(percentEncoded: false))) \
            2> \(quoted(directory.standardError.path(percentEncoded: false))) < /dev/null &
            trainer=$!
            terminated=
            trap 'terminated=terminated; kill -TERM "$trainer" 2>/dev/null' TERM INT
            wait "$trainer"; status=$?
            # A trap ends the wait early: wait again for the trainer's own end.
            while kill -0 "$trainer" 2>/dev/null; do wait "$trainer"; status=$?; done
            echo "$status $terminated" > \(partial) && mv \(partial) \(status)
            exit "$status"

            """
    }

    /// Single-quoted for the shell.
    static func quoted(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: #"'\''"#) + "'"
    }
}
