import ArgumentParser
import Foundation
import TrainingClient

struct Pack: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Pack a dataset folder into a zip that the Python SDK and the server accept.",
        discussion: """
            Stores every regular file under FOLDER by its path relative to FOLDER, as file entries only \
            (no folder entries, which the SDK refuses), deflated. Hidden files and folders (.DS_Store, \
            ._x.wav, .git) and __MACOSX/ are left out; an extension in another case than \
            dataset_files_type's (YES.WAV) is stored in that case (YES.wav). The method's file types, \
            limits and the layout its dataset_description names (<word>/<any name>.wav) are checked \
            before writing, and the zip is checked after, as the SDK and the server will check it. \
            Nothing is written when a rule is broken (exit code 4). The same as: \
            cd FOLDER && zip -r -D ../FOLDER.zip . -x '.*' '*/.*' '__MACOSX/*'
            """
    )

    @Argument(help: "The dataset folder.")
    var folder: String

    @Option(name: [.short, .long], help: "The zip to write (replaced if it exists); default: FOLDER.zip in the current directory.")
    var output: String?

    @Option(
        name: .long,
        help: "The method to pack for, SERVICE/METHOD or its name alone; needed only when trainable methods declare different dataset options."
    )
    var method: MethodPath?

    @OptionGroup var descriptors: DescriptorOptions
    @OptionGroup var options: ConnectionOptions

    struct Output: Encodable {
        var archive: String
        var method: String
        var files: Int
        var bytes: UInt64
        var archiveBytes: UInt64
        var renamed: [String]
        var skipped: [String]
    }

    func validate() throws {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue else {
            throw ValidationError("'\(folder)' is not a folder; pack takes the dataset's folder.")
        }
    }

    func run() async throws {
        try await runCommand(options) { console in
            let target = try await descriptors.method(method, options: options)
            let source = URL(filePath: folder)
            let name = source.standardizedFileURL.lastPathComponent
            let destination = URL(filePath: output ?? "\(name.isEmpty || name == "/" ? "dataset" : name).zip")
            let packed = try await Self.pack(folder: source, to: destination, method: target, console: console)
            console.result(
                Output(
                    archive: destination.path(percentEncoded: false), method: target.fullName, files: packed.fileCount, bytes: packed.totalBytes,
                    archiveBytes: packed.archiveBytes, renamed: packed.renamed, skipped: packed.skipped
                ),
                text: [destination.path(percentEncoded: false)]
            )
            return .success
        }
    }

    /// Packs `folder` for `method` (no method: no rule but the SDK's shape), telling what was left
    /// out or renamed; a folder that breaks the rules is a dataset refusal (exit code 4).
    static func pack(folder: URL, to destination: URL, method: PublishedTraining.Method?, console: Console) async throws -> DatasetPacker.Packed {
        let packed: DatasetPacker.Packed
        do {
            packed = try await DatasetPacker.pack(folder: folder, to: destination, method: method)
        } catch let refused as DatasetPacker.Refused {
            throw CommandFailure(
                status: .datasetRejected, code: "DATASET_REJECTED",
                message: "\(folder.path(percentEncoded: false)) cannot be packed for \(method?.fullName ?? "upload"); nothing was written.",
                details: refused.problems
            )
        }
        for line in packed.renamed { console.note("renamed: \(line) (dataset_files_type's case; the SDK compares extensions case-sensitively)") }
        if !packed.skipped.isEmpty {
            let shown = packed.skipped.prefix(5).joined(separator: ", ")
            console.note("left out \(packed.skipped.count): \(shown)\(packed.skipped.count > 5 ? ", …" : "")")
        }
        console.note(
            "packed \(packed.fileCount) files (\(ProgressDisplay.size(packed.totalBytes))) into \(packed.archive.lastPathComponent) (\(ProgressDisplay.size(packed.archiveBytes)))"
        )
        return packed
    }
}
