import ArgumentParser
import Foundation
import TrainingClient
import TrainingDatasets

struct Check: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check a dataset archive as the server and the Python SDK will, without sending it.",
        discussion: """
            The same check upload runs before sending: against the method's training.* options (read \
            through server reflection, or --proto-set without any server), once as the server checks \
            archives and once as the Python SDK (snet-sdk 6.0.0, Training._check_dataset) checks them \
            before it sends one, in the SDK's own words. Exit code 0 when both accept the archive, 4 when \
            the server would refuse it, 9 when only the SDK would.
            """
    )

    @Argument(help: "The dataset archive.")
    var file: String

    @Option(
        name: .long,
        help: "The method to check against, SERVICE/METHOD or its name alone; needed only when trainable methods declare different dataset options."
    )
    var method: MethodPath?

    @OptionGroup var descriptors: DescriptorOptions
    @OptionGroup var options: ConnectionOptions

    struct Output: Encodable {
        struct ServerVerdict: Encodable {
            var accepted: Bool
            var problems: [String]
        }

        var file: String
        var method: String
        var format: String?
        var fileCount: Int?
        var totalBytes: UInt64?
        var server: ServerVerdict
        var sdk: SDKDatasetCheck.Verdict
    }

    func run() async throws {
        try await runCommand(options) { console in
            let target = try await descriptors.method(method, options: options)
            let upload = try DatasetUpload(file: URL(filePath: file))
            let result = try await DatasetPrecheck.check(file: upload.file, method: target)
            guard let sdk = result.sdk else { throw CommandFailure(status: .localFailure, code: "LOCAL", message: "The SDK's check did not run.") }
            let output = Output(
                file: file, method: target.fullName, format: result.format?.rawValue, fileCount: result.fileCount, totalBytes: result.totalBytes,
                server: .init(accepted: result.problems.isEmpty, problems: result.problems), sdk: sdk
            )
            console.result(output, text: Self.text(output))
            if !result.problems.isEmpty { return .datasetRejected }
            return sdk.accepted ? .success : .sdkWouldRefuse
        }
    }

    static func text(_ output: Output) -> [String] {
        var lines = ["\(output.file) against \(output.method):"]
        let content = output.fileCount.map { " (\($0) files, \(ProgressDisplay.size(output.totalBytes ?? 0)))" } ?? ""
        if output.server.accepted {
            lines.append("  server: accepts\(content)")
        } else {
            lines.append("  server: refuses")
            lines += output.server.problems.map { "    - \($0)" }
        }
        if output.sdk.accepted {
            lines.append("  Python SDK (\(SDKDatasetCheck.sdk)): accepts")
        } else {
            lines.append("  Python SDK (\(SDKDatasetCheck.sdk)): refuses")
            lines += shownProblems(output.sdk).map { "    - \($0)" }
            lines += output.sdk.advice.map { "    to make one it accepts: \($0)" }
        }
        return lines
    }

    /// The SDK's words for why it refuses, the first few of them.
    static func shownProblems(_ verdict: SDKDatasetCheck.Verdict, limit: Int = 8) -> [String] {
        let all = (verdict.error.map { [$0] } ?? []) + verdict.problems
        let more = all.count - limit + verdict.unlistedProblems
        return Array(all.prefix(limit)) + (more > 0 ? ["… and \(more) more"] : [])
    }

    /// `upload`'s warning when only the SDK would refuse an archive.
    static func sdkWarning(_ verdict: SDKDatasetCheck.Verdict, fileName: String) -> [String] {
        ["warning: the Python SDK (\(SDKDatasetCheck.sdk)) would refuse to send \(fileName); sending it anyway, as the server accepts it:"]
            + shownProblems(verdict, limit: 5).map { "  - \($0)" }
            + verdict.advice.map { "  to make one it accepts: \($0)" }
    }
}
