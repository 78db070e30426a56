import Foundation
import SNETTraining
import TrainingTesting
import TrainingDatasets

/// Inspecting a dataset archive of 5000 clips (every entry decompressed and checked against the
/// `stt` method's limits), against `unzip -t` and `tar -tzf` on the same archives and a plain copy
/// of the archive file. Best of three runs each.
struct ArchiveScanBenchmark: Benchmark {
    let title = "Archive scan of clips: inspection against unzip -t, tar -tzf and a file copy"

    func run(_ context: BenchmarkContext) async throws {
        let clipCount = context.quick ? 100 : 5000
        let work = try context.directory("archive-scan")
        defer { try? FileManager.default.removeItem(at: work) }
        let clips = work.appending(path: "clips", directoryHint: .isDirectory)
        try SpeechData.datasetDirectory(clipCount: clipCount, at: clips)
        let zip = work.appending(path: "clips.zip")
        try ArchiveBuilder.zip(directory: clips, at: zip)
        let tarGz = work.appending(path: "clips.tar.gz")
        try Self.runTool("/usr/bin/tar", ["-czf", tarGz.path(percentEncoded: false), "-C", clips.path(percentEncoded: false), "."])
        // The `stt` method's declared limits (Protos/service.proto).
        let limits = ArchiveLimits(
            maxTotalBytes: 200 << 20, maxFileCount: 5000, maxSingleFileBytes: 5 << 20, allowedFileExtensions: ["wav"]
        )

        print(Formatting.header(["archive", "size", "file copy", "reference tool", "reference", "inspection", "inspection / reference"]))
        for (archive, tool, arguments) in [
            (zip, "/usr/bin/unzip", ["-tqq", zip.path(percentEncoded: false)]),
            (tarGz, "/usr/bin/tar", ["-tzf", tarGz.path(percentEncoded: false)]),
        ] {
            let size = (try FileManager.default.attributesOfItem(atPath: archive.path(percentEncoded: false))[.size] as? Int) ?? 0
            let copy = try Self.best { _ = try UploadBenchmark.copyRate(of: archive, to: work.appending(path: "copy")) }
            let reference: Double? =
                FileManager.default.isExecutableFile(atPath: tool) ? try Self.best { try Self.runTool(tool, arguments) } : nil
            var files = 0
            let inspection = try Self.best { files = try ArchiveExtractor.inspect(archive: archive, limits: limits).fileCount }
            guard files == clipCount else { throw BenchmarkFailure("inspection found \(files) of \(clipCount) clips") }
            let toolName = "`\(URL(filePath: tool).lastPathComponent) \(arguments[0])`"
            print(
                Formatting.row([
                    "\(clipCount) clips, \(archive.lastPathComponent.split(separator: ".").dropFirst().joined(separator: "."))",
                    Formatting.mib(size), Formatting.milliseconds(copy * 1000), toolName,
                    reference.map { Formatting.milliseconds($0 * 1000) } ?? "not installed",
                    Formatting.milliseconds(inspection * 1000), reference.map { Formatting.ratio(inspection / $0) } ?? "n/a",
                ]))
        }
    }

    /// The fastest of three runs, in seconds.
    private static func best(_ body: () throws -> Void) throws -> Double {
        var fastest = Double.infinity
        for _ in 0..<3 { fastest = min(fastest, try LoadRunner.time(body)) }
        return fastest
    }

    static func runTool(_ path: String, _ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(filePath: path)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw BenchmarkFailure("\(path) \(arguments.joined(separator: " ")) exited with \(process.terminationStatus)")
        }
    }
}
