import ArgumentParser
import TrainingClient
import TrainingCore

struct Price: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the price in cogs of validating or training a model (validate_model_price, train_model_price)."
    )

    enum Action: String, ExpressibleByArgument, CaseIterable, Encodable {
        case validate
        case train
    }

    @Argument(help: "validate or train.")
    var action: Action

    @Argument(help: "The model id.")
    var modelID: String

    @Option(name: .long, help: "validate: the dataset link to price (default: the uploaded dataset, as the SDK asks).")
    var link = ""

    @OptionGroup var options: GlobalOptions

    struct Output: Encodable {
        var modelId: String
        var action: Action
        var price: UInt64
        /// Always `cogs`, whatever the amount, so scripts can compare it.
        var unit = "cogs"
        /// What the quote is based on: `declaredLimits` (the largest dataset the method accepts) or
        /// `validatedDataset`.
        var basis: Basis
    }

    enum Basis: String, Encodable {
        case declaredLimits
        case validatedDataset
    }

    func run() async throws {
        try await runCommand(options, about: ModelCommand(kind: .price, modelID: modelID)) { console in
            let (price, basis) = try await withConnection(options) { client in
                let models = ModelClient(wrapping: client, metadata: options.metadata)
                switch action {
                case .validate:
                    return (try await models.validationPrice(modelID: modelID, link: link), Basis.declaredLimits)
                case .train:
                    let price = try await models.trainingPrice(modelID: modelID)
                    // Training is priced on the validated dataset once there is one (docs/service.md, Pricing).
                    let status = try await models.status(modelID: modelID).status
                    let validated: Set<ModelStatus> = [.validated, .training, .readyToUse]
                    return (price, validated.contains(status) ? Basis.validatedDataset : Basis.declaredLimits)
                }
            }
            if action == .train, basis == .declaredLimits {
                console.note(
                    "note: \(modelID) has no validated dataset yet, so this quote is at the method's declared limits (the largest dataset it accepts); it is quoted again on the dataset once validated."
                )
            }
            console.result(
                Output(modelId: modelID, action: action, price: price, basis: basis),
                text: ["\(price) \(Self.unit(price))"]
            )
            return .success
        }
    }

    /// `1 cog`, `2 cogs`.
    static func unit(_ price: UInt64) -> String { price == 1 ? "cog" : "cogs" }
}
