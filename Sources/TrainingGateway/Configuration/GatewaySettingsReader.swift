import Configuration
import Foundation
import SNETTraining

/// Reads the gateway's own keys (`provider.*`, `methods.<method>.trainer.*`) through the library's
/// opened configuration (command line, environment, file; the file parsed once), with problems
/// that name the key and where its value came from, as the library's reader does. What it reads
/// counts as known when the library then looks for keys that nothing read.
final class GatewaySettingsReader {
    private let reader: ConfigReader
    private let sources: ConfigurationSources
    private(set) var problems: [ConfigurationError.Problem] = []

    init(_ opened: OpenedConfiguration) {
        self.reader = opened.reader
        self.sources = opened.sources
    }

    func problem(_ key: String, _ message: String) {
        problems.append(.init(key: key, message: message))
    }

    func string(_ key: String) -> String? {
        return reader.string(forKey: configKey(key))
    }

    func strings(_ key: String) -> [String]? {
        if let list = reader.stringArray(forKey: configKey(key)) { return list }
        if present(key) { problem(key, "expected a list of text\(origin(key)).") }
        return nil
    }

    func int(_ key: String, in range: ClosedRange<Int>) -> Int? {
        guard let value = reader.int(forKey: configKey(key)) else {
            if present(key) { problem(key, "expected a whole number\(origin(key)).") }
            return nil
        }
        guard range.contains(value) else {
            problem(key, "\(value)\(origin(key)) is out of range; it must be between \(range.lowerBound) and \(range.upperBound).")
            return nil
        }
        return value
    }

    func bool(_ key: String) -> Bool? {
        guard let value = reader.bool(forKey: configKey(key)) else {
            if present(key) { problem(key, "expected true or false\(origin(key)).") }
            return nil
        }
        return value
    }

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
    func origin(_ key: String) -> String {
        if sources.commandLine[key] != nil { return " (from the command line)" }
        let variable = sources.environmentVariable(for: key)
        if sources.environment[variable] != nil { return " (from the environment variable \(variable))" }
        return sources.filePath.map { " (from the file \($0))" } ?? ""
    }

    /// Whether any source sets the key, whatever its type.
    private func present(_ key: String) -> Bool {
        reader.string(forKey: configKey(key)) != nil || reader.stringArray(forKey: configKey(key)) != nil
            || sources.environment[sources.environmentVariable(for: key)] != nil
    }

    private func configKey(_ key: String) -> ConfigKey {
        ConfigKey(key.split(separator: ".").map(String.init))
    }
}
