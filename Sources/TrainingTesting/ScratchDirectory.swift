public import Foundation

/// A temporary directory, removed when the value goes out of scope.
public struct ScratchDirectory: ~Copyable {
    public let url: URL

    public init(prefix: String = "scratch") throws {
        url = FileManager.default.temporaryDirectory.appending(path: "\(prefix)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    /// A path inside the directory.
    public func file(_ name: String) -> URL { url.appending(path: name) }
}
