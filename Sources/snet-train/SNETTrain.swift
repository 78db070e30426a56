import ArgumentParser

/// `snet-train`: drives any `training.Model` endpoint directly, the way the SingularityNET daemon
/// does, so a provider (or CI) can train models without the daemon or a funded wallet.
@main
struct SNETTrain: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "snet-train",
        abstract: "Drive a trainable SingularityNET service's training.Model endpoint, as the daemon does.",
        discussion: """
            Typical session: create a model, upload a dataset, watch it validate, train it, watch it \
            train, then call the trainable method with the model id.

            \(ExitStatus.helpText)
            """,
        subcommands: [
            Create.self, Upload.self, Validate.self, Price.self, Train.self, Status.self, Watch.self, Delete.self,
            Inspect.self, Call.self, DaemonConfig.self,
        ]
    )
}
