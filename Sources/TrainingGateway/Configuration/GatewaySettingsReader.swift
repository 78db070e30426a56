import Foundation
import SNETTraining

/// Reads the gateway's own keys (`provider.*`, `methods.<method>.trainer.*`) through the library's
/// opened configuration (command line, environment, file; the file parsed once). Typed reads are
/// the library's own (``OpenedConfiguration/int(_:in:)`` and its siblings): a bad value is a
/// problem the library reports with its own, naming the key and where the value came from, and
/// what is read counts as known when the library looks for keys that nothing read. Problems the
/// gateway finds itself (a file that cannot be read, a malformed endpoint) are kept here.
final class GatewaySettingsReader {
    private let opened: OpenedConfiguration
    private(set) var problems: [ConfigurationError.Problem] = []

    init(_ opened: OpenedConfiguration) {
        self.opened = opened
    }

    private var sources: ConfigurationSources { opened.sources }

    func problem(_ key: String, _ message: String) {
        problems.append(.init(key: key, message: message))
    }

    func string(_ key: String) -> String? { opened.string(key) }

    func strings(_ key: String) -> [String]? { opened.strings(key) }

    func int(_ key: String, in range: ClosedRange<Int>) -> Int? { opened.int(key, in: range) }

    func bool(_ key: String) -> Bool? { opened.bool(key) }

    /// A path as written, made absolute against the configuration file's directory (or the
    /// working directory when there is no file), so the gateway can be started from anywhere.
    func resolvedPath(_ path: String) -> String {
        guard !path.hasPrefix("/") else { return path }
        let base =
            sources.filePath.map { URL(filePath: $0).deletingLastPathComponent() }
            ?? URL(filePath: FileManager.default.currentDirectoryPath, directoryHint: .isDirectory)
        return base.appending(path: path).standardizedFileURL.path(percentEncoded: false)
    }

    /// ` (from the environment variable X)` or ` (from the file F)`, for messages.
    func origin(_ key: String) -> String { opened.origin(of: key) }
}
