import ArgumentParser
import TrainingClient
import TrainingCore
import TrainingCore

struct Delete: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Delete a model and its files (delete_model).")

    @Argument(help: "The model id.")
    var modelID: String

    @OptionGroup var options: GlobalOptions

    func run() async throws {
        try await runCommand(options, about: ModelCommand(kind: .delete, modelID: modelID)) { console in
            let status = try await withConnection(options) { client in
                try await ModelClient(wrapping: client, metadata: options.metadata).delete(modelID: modelID)
            }
            console.result(ModelStatusOutput(modelId: modelID, status: status.rawValue), text: [status.rawValue])
            return .success
        }
    }
}
