public import Configuration
import Logging
public import TrainingCore

/// The configuration sources of a server, opened: one reader over the command line, the
/// environment and the parsed file. Every key read through ``reader`` or ``int(_:in:)`` counts as
/// known, so a program with keys of its own reads them here first; ``load(methods:base:)`` then
/// reads the library's keys and reports, with any bad value, every key in the file that nothing read.
///
/// ```swift
/// let opened = try await sources.open()
/// let maxClipSeconds = opened.int("speech.maxClipSeconds", in: 1...600) ?? 10
/// let loaded = try opened.load(methods: methods)   // throws every problem, the program's own included
/// ```
public final class OpenedConfiguration {
    /// Reads any key from the three sources, highest priority first.
    public let reader: ConfigReader
    /// Where the values come from.
    public let sources: ConfigurationSources
    private let recorder: AccessRecorder
    private let settings: SettingsReader
    private let fileKeys: Set<String>

    init(sources: ConfigurationSources, providers: [any ConfigProvider], sourceNames: [String], fileKeys: Set<String>) {
        let recorder = AccessRecorder()
        self.reader = ConfigReader(providers: providers, accessReporter: recorder)
        self.sources = sources
        self.recorder = recorder
        self.settings = SettingsReader(
            reader: reader, recorder: recorder, sourceNames: sourceNames, environmentName: sources.environmentVariable(for:),
            origin: { Self.origin(of: $0, sources: sources, fileKeys: fileKeys) }
        )
        self.fileKeys = fileKeys
    }

    /// ` (from the command line)`, ` (from the environment variable X)` or ` (from the file F)`:
    /// where the value of `key` (dotted) comes from, for messages about it; empty if it is not set.
    package func origin(of key: String) -> String {
        Self.origin(of: key, sources: sources, fileKeys: fileKeys)
    }

    private static func origin(of key: String, sources: ConfigurationSources, fileKeys: Set<String>) -> String {
        if sources.commandLine[key] != nil { return " (from the command line)" }
        let variable = sources.environmentVariable(for: key)
        if sources.environment[variable] != nil { return " (from the environment variable \(variable))" }
        if fileKeys.contains(key), let file = sources.filePath { return " (from the file \(file))" }
        return ""
    }

    // A program's own settings under `key` (dotted): a value of another type, or a number out of
    // `range`, is a problem ``load(methods:base:)`` reports with the rest, naming where it came from.

    /// A whole number in `range`.
    public func int(_ key: String, in range: ClosedRange<Int>) -> Int? {
        settings.int(Self.components(key), in: range)
    }

    /// Text.
    public func string(_ key: String) -> String? {
        settings.string(Self.components(key))
    }

    /// A list of text (in an environment variable, comma-separated).
    public func strings(_ key: String) -> [String]? {
        settings.strings(Self.components(key))
    }

    /// `true` or `false`.
    public func bool(_ key: String) -> Bool? {
        settings.bool(Self.components(key))
    }

    /// Variables with this program's prefix that no key read names (a typo, a key that does not
    /// exist), one problem each, like unknown keys in the file. `<PREFIX>_CONFIG` names the file.
    private func unknownVariables() -> [ConfigurationError.Problem] {
        let prefix = sources.environmentPrefix + "_"
        let known = Set(recorder.accessedKeys.map(sources.environmentVariable(for:))).union([prefix + "CONFIG"])
        return sources.environment.keys.filter { $0.hasPrefix(prefix) && !known.contains($0) }.sorted().map {
            .init(key: $0, message: UnknownKeys.notASetting)
        }
    }

    private static func components(_ key: String) -> [String] {
        key.split(separator: ".").map(String.init)
    }

    /// Reads the settings of a server whose trainable methods are `methods`, over `base`.
    public func load(
        methods: [TrainableMethod],
        base: TrainingServerConfiguration = .defaults
    ) throws(ConfigurationError) -> LoadedConfiguration {
        var loaded = LoadedConfiguration(server: base, logLevel: .info, notes: [])
        loaded.read(from: settings, methods: methods)
        let unused = fileKeys.subtracting(recorder.accessedKeys).sorted()
        let sections = methods.map { LoadedConfiguration.sectionName(of: $0, among: methods) }
        // Every key is read by now: the program's own, then the library's.
        for problem in UnknownKeys.problems(unused, methodSections: sections) + unknownVariables() {
            settings.problem(problem.key, problem.message)
        }
        if !settings.problems.isEmpty { throw ConfigurationError(problems: settings.problems) }
        if let filePath = sources.filePath { loaded.notes.insert("configuration read from \(filePath)", at: 0) }
        return loaded
    }
}
