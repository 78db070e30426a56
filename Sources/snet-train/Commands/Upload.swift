import ArgumentParser
import Foundation
import TrainingClient
import TrainingCore
import TrainingDatasets

struct Upload: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Upload a dataset archive and start its validation (upload_and_validate), exactly as the SDK does.",
        discussion: """
            The file is sent in 1 MiB batches (file_name, file_size, batch_size, batch_number from 1, \
            batch_count), with a progress bar on a terminal and plain progress lines otherwise. Before \
            sending, the archive is checked against the method's training.* limits, read through server \
            reflection (or --proto-set); a dataset that breaks them is not sent (exit code 4).
            """
    )

    @OptionGroup var options: GlobalOptions
    @OptionGroup var descriptors: DescriptorOptions

    @Argument(help: "The model id.")
    var modelID: String

    @Argument(help: "The dataset archive (zip, tar or tar.gz).")
    var file: String

    @Option(name: .long, help: "The model's method, SERVICE/METHOD, to check against (needed when several are trainable).")
    var method: MethodPath?

    @Flag(name: .customLong("no-check"), help: "Send without checking the archive against the method's limits first.")
    var noCheck = false

    struct Output: Encodable {
        var modelId: String
        var status: String
        var fileName: String
        var bytes: UInt64
        var batches: UInt64
        /// The method whose limits the archive was checked against; nil with --no-check.
        var checkedAgainst: String?
    }

    func run() async throws {
        try await runCommand(options, about: ModelCommand(kind: .upload, modelID: modelID, method: method.map { "\($0.service)/\($0.method)" })) { console in
            let upload = try DatasetUpload(file: URL(filePath: file))
            let display = ProgressDisplay(mode: options.json ? .silent : (Console.errorIsTerminal ? .bar : .lines))
            let (status, checked) = try await withConnection(options) { client in
                var checked: String?
                if !noCheck {
                    let (found, _) = try await descriptors.load(client: client)
                    let target = try MethodPath.select(method, in: PublishedTraining(found))
                    try await check(upload, against: target, console: console)
                    checked = target.fullName
                }
                display.start(fileName: upload.fileName, bytes: upload.fileSize, batches: upload.batchCount)
                defer { display.finish() }
                let status = try await ModelClient(wrapping: client, metadata: options.metadata)
                    .upload(upload, modelID: modelID, progress: display.update)
                return (status, checked)
            }
            console.result(
                Output(
                    modelId: modelID, status: status.rawValue, fileName: upload.fileName, bytes: upload.fileSize,
                    batches: upload.batchCount, checkedAgainst: checked
                ),
                text: [status.rawValue]
            )
            return .success
        }
    }

    private func check(_ upload: DatasetUpload, against method: PublishedTraining.Method, console: Console) async throws {
        let result = try await DatasetPrecheck.check(file: upload.file, options: method.options)
        guard result.problems.isEmpty else {
            throw CommandFailure(
                status: .datasetRejected, code: "DATASET_REJECTED",
                message: "\(file) breaks the limits of \(method.fullName); nothing was sent.",
                details: result.problems
            )
        }
        let content = result.fileCount.map { "\($0) files, \(ProgressDisplay.size(result.totalBytes ?? 0))" } ?? ""
        console.note("checked \(upload.fileName) against \(method.fullName)'s limits: \(content)")
    }
}
