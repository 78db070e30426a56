import ArgumentParser
import TrainingClient
import TrainingCore
import TrainingCore

struct Validate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Validate the dataset at a link (validate_model); without --link, the uploaded dataset again."
    )

    @Argument(help: "The model id.")
    var modelID: String

    @Option(name: .long, help: "The dataset's link (training_data_link), e.g. file:///data/words.zip.")
    var link = ""

    @OptionGroup var options: GlobalOptions

    func run() async throws {
        try await runCommand(options, about: ModelCommand(kind: .validate, modelID: modelID)) { console in
            let status = try await withConnection(options) { client in
                try await ModelClient(wrapping: client, metadata: options.metadata).validate(modelID: modelID, link: link)
            }
            console.result(ModelStatusOutput(modelId: modelID, status: status.rawValue), text: [status.rawValue])
            return .success
        }
    }
}
