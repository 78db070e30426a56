import ArgumentParser
import TrainingClient
import TrainingCore
import TrainingCore

struct Price: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the price in cogs of validating or training a model (validate_model_price, train_model_price)."
    )

    enum Action: String, ExpressibleByArgument, CaseIterable, Encodable {
        case validate
        case train
    }

    @OptionGroup var options: GlobalOptions

    @Argument(help: "validate or train.")
    var action: Action

    @Argument(help: "The model id.")
    var modelID: String

    @Option(name: .long, help: "validate: the dataset link to price (default: the uploaded dataset, as the SDK asks).")
    var link = ""

    struct Output: Encodable {
        var modelId: String
        var action: Action
        var price: UInt64
        var unit = "cogs"
    }

    func run() async throws {
        try await runCommand(options) { console in
            let price = try await withConnection(options) { client in
                let models = ModelClient(wrapping: client, metadata: options.metadata)
                return switch action {
                case .validate: try await models.validationPrice(modelID: modelID, link: link)
                case .train: try await models.trainingPrice(modelID: modelID)
                }
            }
            console.result(Output(modelId: modelID, action: action, price: price), text: ["\(price) cogs"])
            return .success
        }
    }
}
