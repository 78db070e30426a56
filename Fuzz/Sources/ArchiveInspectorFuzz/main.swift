import Foundation
import TrainingDatasets

// libFuzzer entry point: every input is written to a file and inspected as an upload would be. An
// accepted input is also extracted, and the files written must be exactly the ones the summary lists,
// all inside the destination. Any error other than ArchiveError (a rejection) is a bug and crashes.

private let scratch = URL(
    fileURLWithPath: FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm" : NSTemporaryDirectory()
)
.appendingPathComponent("archive-fuzz-\(ProcessInfo.processInfo.processIdentifier)", isDirectory: true)
private let input = scratch.appendingPathComponent("input.bin")
private let output = scratch.appendingPathComponent("out", isDirectory: true)
private let limits = ArchiveLimits(maxTotalBytes: 64 << 20, maxReportedViolations: 20)

@_cdecl("LLVMFuzzerTestOneInput")
public func archiveInspectorFuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let fileManager = FileManager.default
    try? fileManager.removeItem(at: scratch)
    try! fileManager.createDirectory(at: output, withIntermediateDirectories: true)
    try! Data(bytes: start, count: count).write(to: input)

    let summary: ArchiveSummary
    do {
        summary = try ArchiveExtractor.inspect(archive: input, limits: limits)
    } catch let error as ArchiveError {
        precondition(!error.violations.isEmpty, "a rejection without a reason")
        return 0
    } catch {
        fatalError("inspect threw something other than a rejection: \(error)")
    }

    do {
        let extracted = try ArchiveExtractor.extract(archive: input, into: output, limits: limits)
        precondition(extracted.files == summary.files, "extraction disagrees with inspection")
    } catch {
        fatalError("an inspected archive failed to extract: \(error)")
    }
    var written: Set<String> = []
    let enumerator = fileManager.enumerator(atPath: output.path)
    while let path = enumerator?.nextObject() as? String {
        let attributes = try! fileManager.attributesOfItem(atPath: output.appendingPathComponent(path).path)
        let type = attributes[.type] as? FileAttributeType
        precondition(type == .typeRegular || type == .typeDirectory, "extraction created a \(String(describing: type))")
        if type == .typeRegular { written.insert(path) }
    }
    precondition(written == Set(summary.files), "files on disk differ from the summary")
    // Nothing may appear beside the input and the destination.
    precondition(Set(try! fileManager.contentsOfDirectory(atPath: scratch.path)) == ["input.bin", "out"])
    return 0
}
