import Configuration
import Foundation
public import Logging
public import TrainingCore

/// Where a server's settings come from, read with swift-configuration. Highest priority first:
/// values from the command line, environment variables, then one configuration file (YAML, or JSON
/// for a `.json` file); keys none of them set keep the base configuration's value.
///
/// ```swift
/// let sources = ConfigurationSources(
///     filePath: "config/stt-service.yaml",
///     environment: ProcessInfo.processInfo.environment,
///     environmentPrefix: "STT_SERVICE",
///     commandLine: ["server.port": .int(5002)]
/// )
/// let loaded = try await sources.load(methods: Array(catalog.methods.values))
/// ```
///
/// Keys are dotted paths (`server.port`, `methods.stt.pricing.policy`); the environment variable of
/// a key is the prefix and the key's words in capitals joined by `_` (`STT_SERVICE_SERVER_PORT`,
/// ``environmentVariable(for:)``). Every value is checked: a value of the wrong type or out of
/// range, or a key in the file that nothing reads (a typo, a method that is not trainable), stops
/// ``load(methods:base:)`` with a ``ConfigurationError`` naming each key.
public struct ConfigurationSources: Sendable {
    /// A value given on the command line.
    public enum Value: Sendable, Hashable {
        /// Text: host names, paths, policy names.
        case string(String)
        /// A whole number: ports, counts, cogs.
        case int(Int)
    }

    /// The configuration file; nil for none.
    public var filePath: String?
    /// The environment to read variables from.
    public var environment: [String: String]
    /// What every variable name starts with (`STT_SERVICE`), so unrelated variables are never read.
    public var environmentPrefix: String
    /// Values from the command line, by key (`server.port`).
    public var commandLine: [String: Value]

    public init(
        filePath: String?,
        environment: [String: String],
        environmentPrefix: String,
        commandLine: [String: Value] = [:]
    ) {
        self.filePath = filePath
        self.environment = environment
        self.environmentPrefix = environmentPrefix
        self.commandLine = commandLine
    }

    /// The environment variable that sets `key`: `server.dataDirectory` → `STT_SERVICE_SERVER_DATA_DIRECTORY`.
    public func environmentVariable(for key: String) -> String {
        EnvironmentName.of([environmentPrefix] + key.split(separator: ".").map(String.init))
    }

    /// Reads the settings of a server whose trainable methods are `methods`, over `base`.
    public func load(
        methods: [TrainableMethod],
        base: TrainingServerConfiguration = .defaults
    ) async throws(ConfigurationError) -> LoadedConfiguration {
        try await open().load(methods: methods, base: base)
    }

    /// Opens the three sources, parsing the file once, for a program that reads keys of its own
    /// besides the library's (the training gateway): it reads them from
    /// ``OpenedConfiguration/reader``, then calls ``OpenedConfiguration/load(methods:base:)``.
    public func open() async throws(ConfigurationError) -> OpenedConfiguration {
        var values: [AbsoluteConfigKey: ConfigValue] = [:]
        for (key, value) in commandLine {
            let content: ConfigContent
            switch value {
            case .string(let text): content = .string(text)
            case .int(let number): content = .int(number)
            }
            values[AbsoluteConfigKey(key.split(separator: ".").map(String.init))] = ConfigValue(content, isSecret: false)
        }
        var providers: [any ConfigProvider] = [
            InMemoryProvider(name: "command line", values: values),
            EnvironmentVariablesProvider(environmentVariables: environment).prefixKeys(with: ConfigKey([environmentPrefix])),
        ]
        var sourceNames = ["command line", "environment"]
        var fileKeys: Set<String> = []
        if let filePath {
            if let problem = Self.unreadable(filePath) { throw ConfigurationError(problems: [problem]) }
            do {
                // The providers' own way to name their file, so this module needs no FilePath import.
                let fileSettings = ConfigReader(
                    provider: InMemoryProvider(values: ["filePath": .init(.string(filePath), isSecret: false)])
                )
                let file = try await FileProvider<ConfigurationFileSnapshot>(config: fileSettings)
                fileKeys = (file.snapshot() as? ConfigurationFileSnapshot)?.keys ?? []
                providers.append(file)
            } catch {
                throw ConfigurationError(problems: [
                    .init(key: filePath, message: "the configuration file could not be read: \(error)")
                ])
            }
            sourceNames.append("file \(filePath)")
        }
        return OpenedConfiguration(sources: self, providers: providers, sourceNames: sourceNames, fileKeys: fileKeys)
    }
}

extension ConfigurationSources {
    /// Why the configuration file cannot be read, in one sentence, or nil when it can be opened.
    /// Checked first: the file readers' own errors do not say which of these happened.
    static func unreadable(_ path: String) -> ConfigurationError.Problem? {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            return .init(key: path, message: "the configuration file does not exist (--config or STT_SERVICE_CONFIG names it); check the path.")
        }
        if isDirectory.boolValue {
            return .init(key: path, message: "is a directory, not a configuration file.")
        }
        if !FileManager.default.isReadableFile(atPath: path) {
            return .init(key: path, message: "the configuration file cannot be read (permission denied).")
        }
        return nil
    }
}

/// What ``ConfigurationSources/load(methods:base:)`` read.
public struct LoadedConfiguration: Sendable {
    /// The server's settings.
    public var server: TrainingServerConfiguration
    /// The `logLevel` key, for the executable's log handler.
    public var logLevel: Logger.Level
    /// Things worth logging once logging is set up (a quota that differs from the proto's, ...).
    public var notes: [String]

    public init(server: TrainingServerConfiguration, logLevel: Logger.Level, notes: [String]) {
        self.server = server
        self.logLevel = logLevel
        self.notes = notes
    }
}
