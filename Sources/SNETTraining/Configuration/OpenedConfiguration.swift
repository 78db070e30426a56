public import Configuration
import Logging
public import TrainingCore

/// The configuration sources of a server, opened: one reader over the command line, the
/// environment and the parsed file. Every key read through ``reader`` counts as known, so a
/// program with keys of its own reads them here first; ``load(methods:base:)`` then reads the
/// library's keys and reports, with any bad value, every key in the file that nothing read.
public final class OpenedConfiguration: Sendable {
    /// Reads any key from the three sources, highest priority first.
    public let reader: ConfigReader
    /// Where the values come from.
    public let sources: ConfigurationSources
    private let recorder: AccessRecorder
    private let sourceNames: [String]
    private let fileKeys: Set<String>

    init(sources: ConfigurationSources, providers: [any ConfigProvider], sourceNames: [String], fileKeys: Set<String>) {
        let recorder = AccessRecorder()
        self.reader = ConfigReader(providers: providers, accessReporter: recorder)
        self.sources = sources
        self.recorder = recorder
        self.sourceNames = sourceNames
        self.fileKeys = fileKeys
    }

    /// Reads the settings of a server whose trainable methods are `methods`, over `base`.
    public func load(
        methods: [TrainableMethod],
        base: TrainingServerConfiguration = .defaults
    ) throws(ConfigurationError) -> LoadedConfiguration {
        let settings = SettingsReader(
            reader: reader,
            recorder: recorder,
            sourceNames: sourceNames,
            environmentName: sources.environmentVariable(for:)
        )
        var loaded = LoadedConfiguration(server: base, logLevel: .info, notes: [])
        loaded.read(from: settings, methods: methods)
        let unused = fileKeys.subtracting(recorder.accessedKeys).sorted()
        let sections = methods.map { LoadedConfiguration.sectionName(of: $0, among: methods) }
        for problem in UnknownKeys.problems(unused, methodSections: sections) {
            settings.problem(problem.key, problem.message)
        }
        if !settings.problems.isEmpty { throw ConfigurationError(problems: settings.problems) }
        if let filePath = sources.filePath { loaded.notes.insert("configuration read from \(filePath)", at: 0) }
        return loaded
    }
}
