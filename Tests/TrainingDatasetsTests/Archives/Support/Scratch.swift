import Foundation
import TrainingDatasets

/// A temporary directory for one test, removed when the test ends.
final class Scratch {
    let url: URL

    init() throws {
        self.url = FileManager.default.temporaryDirectory
            .appendingPathComponent("archive-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: self.url, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(at: self.url)
    }

    func file(_ name: String, _ bytes: [UInt8]) throws -> URL {
        let url = self.url.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url
    }

    /// A new, empty directory.
    func directory(_ name: String) throws -> URL {
        let url = self.url.appendingPathComponent(name, isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Every file and directory under `root`, relative, sorted (directories end in `/`).
    static func tree(_ root: URL) -> [String] {
        guard let enumerator = FileManager.default.enumerator(atPath: root.path) else { return [] }
        var paths: [String] = []
        while let path = enumerator.nextObject() as? String {
            var isDirectory: ObjCBool = false
            _ = FileManager.default.fileExists(
                atPath: root.appendingPathComponent(path).path,
                isDirectory: &isDirectory
            )
            paths.append(isDirectory.boolValue ? path + "/" : path)
        }
        return paths.sorted()
    }

    /// Inspects `bytes` written to a file (named to mislead: the format comes from the content).
    func inspect(_ bytes: [UInt8], limits: ArchiveLimits = .unlimited) throws -> ArchiveSummary {
        try ArchiveExtractor.inspect(archive: self.file("upload-\(UUID().uuidString).bin", bytes), limits: limits)
    }

    /// The error inspecting `bytes` throws, or nil if it is accepted.
    func rejection(_ bytes: [UInt8], limits: ArchiveLimits = .unlimited) throws -> ArchiveError? {
        do {
            _ = try self.inspect(bytes, limits: limits)
            return nil
        } catch let error as ArchiveError {
            return error
        }
    }
}

extension ArchiveError? {
    /// Whether some violation's path and reason match.
    func has(path: String?, reason fragment: String) -> Bool {
        guard let self else { return false }
        return self.violations.contains { $0.path == path && $0.reason.contains(fragment) }
    }

    /// Whether some violation's reason contains `fragment`.
    func has(reason fragment: String) -> Bool {
        guard let self else { return false }
        return self.violations.contains { $0.reason.contains(fragment) }
    }
}
