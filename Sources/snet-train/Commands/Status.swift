import ArgumentParser
import TrainingClient
import TrainingCore

struct Status: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print a model's status (get_model_status) and the server's status detail."
    )

    @Argument(help: "The model id.")
    var modelID: String

    @OptionGroup var options: GlobalOptions

    func run() async throws {
        try await runCommand(options) { console in
            let report = try await withConnection(options) { client in
                try await ModelClient(wrapping: client, metadata: options.metadata).status(modelID: modelID)
            }
            console.result(
                ModelStatusOutput(modelId: modelID, status: report.status.rawValue, detail: report.detail, report: report.report),
                text: [report.status.rawValue] + (report.detail.map { ["detail: \($0)"] } ?? []) + ConfusionText.lines(report.report)
            )
            return .success
        }
    }
}
