import ArgumentParser

/// `snet-train`: drives any `training.Model` endpoint directly, the way the SingularityNET daemon
/// does, so a provider (or CI) can train models without the daemon or a funded wallet.
@main
struct SNETTrain: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "snet-train",
        abstract: "Drive a trainable SingularityNET service's training.Model endpoint, as the daemon does.",
        discussion: """
            Typical session: create a model, upload a dataset folder (packed on the way) or archive, \
            watch it validate, train it, watch it train, then call the trainable method with the model id. The endpoint is --endpoint, else \
            $SNET_TRAIN_ENDPOINT, else 127.0.0.1:5002.

            \(ExitStatus.helpText)
            """,
        subcommands: [
            Create.self, Pack.self, Check.self, Upload.self, Validate.self, Price.self, Train.self, Status.self, Watch.self,
            Delete.self, Inspect.self, Call.self, DaemonConfig.self,
        ]
    )

    /// ArgumentParser's own `main`, except that usage errors are reported like every other failure
    /// (one line, a JSON error with `--json`, exit 64) and typos get a suggestion.
    static func main() async {
        let arguments = Array(CommandLine.arguments.dropFirst())
        let json = arguments.contains("--json")
        if let problem = UsageErrors.problem(in: arguments, subcommands: configuration.subcommands) {
            UsageErrors.fail(problem, json: json)
        }
        let command: any ParsableCommand
        do {
            command = try parseAsRoot(arguments)
        } catch {
            if exitCode(for: error) == .validationFailure { UsageErrors.fail(message(for: error), json: json) }
            exit(withError: error)
        }
        do {
            if var command = command as? any AsyncParsableCommand {
                try await command.run()
            } else {
                var command = command
                try command.run()
            }
        } catch {
            exit(withError: error)
        }
    }
}
