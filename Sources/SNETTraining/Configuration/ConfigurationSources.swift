import Configuration
import Foundation
public import Logging
public import TrainingCore
import Yams

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
        var providers: [any ConfigProvider] = []
        var sourceNames: [String] = []
        var values: [AbsoluteConfigKey: ConfigValue] = [:]
        for (key, value) in commandLine {
            let content: ConfigContent
            switch value {
            case .string(let text): content = .string(text)
            case .int(let number): content = .int(number)
            }
            values[AbsoluteConfigKey(key.split(separator: ".").map(String.init))] = ConfigValue(
                content,
                isSecret: false
            )
        }
        providers.append(InMemoryProvider(name: "command line", values: values))
        sourceNames.append("command line")
        providers.append(
            EnvironmentVariablesProvider(environmentVariables: environment).prefixKeys(
                with: ConfigKey([environmentPrefix])
            )
        )
        sourceNames.append("environment")
        var fileKeys: Set<String> = []
        if let filePath {
            if let problem = Self.unreadable(filePath) { throw ConfigurationError(problems: [problem]) }
            do {
                // The providers' own way to name their file, so this module needs no FilePath import.
                let fileSettings = ConfigReader(
                    provider: InMemoryProvider(values: ["filePath": .init(.string(filePath), isSecret: false)])
                )
                if filePath.lowercased().hasSuffix(".json") {
                    providers.append(try await FileProvider<JSONSnapshot>(config: fileSettings))
                } else {
                    providers.append(try await FileProvider<YAMLSnapshot>(config: fileSettings))
                }
                fileKeys = try ConfigurationFileKeys.read(path: filePath)
            } catch {
                throw ConfigurationError(problems: [
                    .init(key: filePath, message: "the configuration file could not be read: \(error)")
                ])
            }
            sourceNames.append("file \(filePath)")
        }
        let recorder = AccessRecorder()
        let settings = SettingsReader(
            reader: ConfigReader(providers: providers, accessReporter: recorder),
            recorder: recorder,
            sourceNames: sourceNames,
            environmentName: environmentVariable(for:)
        )
        var loaded = LoadedConfiguration(server: base, logLevel: .info, notes: [])
        loaded.read(from: settings, methods: methods)
        let unused = fileKeys.subtracting(recorder.accessedKeys).sorted()
        let sections = methods.map { LoadedConfiguration.sectionName(of: $0, among: methods) }
        for problem in UnknownKeys.problems(unused, methodSections: sections) {
            settings.problem(problem.key, problem.message)
        }
        if !settings.problems.isEmpty { throw ConfigurationError(problems: settings.problems) }
        if let filePath { loaded.notes.insert("configuration read from \(filePath)", at: 0) }
        return loaded
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
