import ArgumentParser
import TrainingClient
import TrainingCore
import TrainingCore

struct Train: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Start training a VALIDATED (or READY_TO_USE) model (train_model); returns at once."
    )

    @Argument(help: "The model id.")
    var modelID: String

    @OptionGroup var options: GlobalOptions

    func run() async throws {
        try await runCommand(options, about: ModelCommand(kind: .train, modelID: modelID)) { console in
            let status = try await withConnection(options) { client in
                try await ModelClient(wrapping: client, metadata: options.metadata).train(modelID: modelID)
            }
            console.result(ModelStatusOutput(modelId: modelID, status: status.rawValue), text: [status.rawValue])
            return .success
        }
    }
}
