import ArgumentParser
import Foundation
import GRPCCore
import TrainingClient
import TrainingCore
import TrainingDatasets

struct Upload: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Upload a dataset (an archive, or a folder packed on the way) and start its validation (upload_and_validate), exactly as the SDK does.",
        discussion: """
            The file is sent in 1 MiB batches (file_name, file_size, batch_size, batch_number from 1, \
            batch_count), with a progress bar on a terminal and plain progress lines otherwise. A folder \
            is first packed as snet-train pack packs it, into a temporary zip. Before sending, the archive \
            is checked against the method's training.* options (read through server reflection, or \
            --proto-set) twice: as the server will check it (a dataset it would refuse is not sent: exit \
            code 4, every problem listed) and as the Python SDK does (a dataset only the SDK would refuse \
            is sent, with a warning that says how to make one it accepts). Ctrl-C stops the upload and \
            says what state the model is in.
            """
    )

    @Argument(help: "The model id.")
    var modelID: String

    @Argument(help: "The dataset: a zip (tar and tar.gz where the method declares them), or a folder to pack.")
    var file: String

    @Option(
        name: .long,
        help: "The model's method, SERVICE/METHOD or its name alone; needed only when trainable methods declare different dataset options."
    )
    var method: MethodPath?

    @Flag(name: .customLong("no-check"), help: "Send without checking the archive against the method's options first.")
    var noCheck = false

    @OptionGroup var descriptors: DescriptorOptions
    @OptionGroup var options: GlobalOptions

    struct Output: Encodable {
        var modelId: String
        var status: String
        var fileName: String
        var bytes: UInt64
        var batches: UInt64
        /// The method whose options the archive was checked against; nil with --no-check.
        var checkedAgainst: String?
        /// The Python SDK's verdict on the archive; nil with --no-check.
        var sdk: SDKDatasetCheck.Verdict?
        /// The folder the archive was packed from, when a folder was given.
        var packedFrom: String?
    }

    func run() async throws {
        try await runCommand(options, about: ModelCommand(kind: .upload, modelID: modelID, method: method?.text)) { console in
            let source = URL(filePath: file)
            let isFolder = (try? source.resourceValues(forKeys: [.isDirectoryKey]).isDirectory) == true
            let display = ProgressDisplay(mode: options.json ? .silent : (Console.errorIsTerminal ? .bar : .lines))
            let scratch = isFolder ? FileManager.default.temporaryDirectory.appending(path: "snet-train-\(UUID().uuidString)") : nil
            defer { if let scratch { try? FileManager.default.removeItem(at: scratch) } }
            let result = try await withConnection(options) { client in
                var target: PublishedTraining.Method?
                if !noCheck {
                    let (found, _) = try await descriptors.load(client: client)
                    target = try MethodPath.select(method, in: PublishedTraining(found))
                }
                var archive = source
                if let scratch {
                    try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
                    archive = try await Pack.pack(
                        folder: source, to: scratch.appending(path: source.standardizedFileURL.lastPathComponent + ".zip"), method: target,
                        console: console
                    ).archive
                }
                let upload = try DatasetUpload(file: archive)
                var sdk: SDKDatasetCheck.Verdict?
                if let target { sdk = try await check(upload, against: target, console: console) }
                display.start(fileName: upload.fileName, bytes: upload.fileSize, batches: upload.batchCount)
                let status: ModelStatus
                do {
                    let models = ModelClient(wrapping: client, metadata: options.metadata)
                    let id = modelID
                    status = try await Interruption.cancelOnInterrupt {
                        try await models.upload(upload, modelID: id, progress: display.update)
                    }
                } catch let interrupted as Interruption.Interrupted {
                    display.finish()
                    throw await interruptedFailure(interrupted, upload: upload, display: display, client: client)
                }
                display.finish()
                return (status, upload, target, sdk)
            }
            let (status, upload, target, sdk) = result
            console.result(
                Output(
                    modelId: modelID, status: status.rawValue, fileName: upload.fileName, bytes: upload.fileSize,
                    batches: upload.batchCount, checkedAgainst: target?.fullName, sdk: sdk, packedFrom: isFolder ? file : nil
                ),
                text: [status.rawValue]
            )
            return .success
        }
    }

    /// Refuses what the server would refuse; warns about what only the SDK would refuse.
    private func check(_ upload: DatasetUpload, against method: PublishedTraining.Method, console: Console) async throws -> SDKDatasetCheck.Verdict? {
        let result = try await DatasetPrecheck.check(file: upload.file, method: method)
        guard result.problems.isEmpty else {
            throw CommandFailure(
                status: .datasetRejected, code: "DATASET_REJECTED",
                message: "\(upload.fileName) breaks the rules of \(method.fullName); nothing was sent.",
                details: result.problems
            )
        }
        let content = result.fileCount.map { ": \($0) files, \(ProgressDisplay.size(result.totalBytes ?? 0))" } ?? ""
        console.note("checked \(upload.fileName) against \(method.fullName)'s dataset options\(content)")
        if let sdk = result.sdk, !sdk.accepted {
            for line in Check.sdkWarning(sdk, fileName: upload.fileName) { console.note(line) }
        }
        return result.sdk
    }

    /// What an interrupted upload left: the server keeps no part of an upload that did not end, so
    /// the model is as it was before; its status says so.
    private func interruptedFailure(
        _ interrupted: Interruption.Interrupted, upload: DatasetUpload, display: ProgressDisplay, client: GRPCClient<HTTP2Transport>
    ) async -> CommandFailure {
        let sent = display.sentBytes
        let state: String
        var next = "upload again: snet-train upload \(modelID) \(file)"
        if let report = try? await ModelClient(wrapping: client).status(modelID: modelID) {
            state = "model \(modelID) is \(report.status.rawValue)" + (report.detail.map { " (\($0))" } ?? "")
            switch report.status {
            case .validating, .training:
                next = "the model is busy with an earlier dataset; wait: snet-train watch \(modelID)"
            case .validated, .readyToUse:
                next = "the model keeps the dataset it had; to replace it, upload again: snet-train upload \(modelID) \(file)"
            default:
                break
            }
        } else {
            state = "the model's status could not be read"
        }
        return CommandFailure(
            status: .interrupted, code: "INTERRUPTED",
            message:
                "Interrupted after sending \(ProgressDisplay.size(sent)) of \(ProgressDisplay.size(upload.fileSize)); the server keeps nothing of an unfinished upload, so \(state).",
            next: next
        )
    }
}
