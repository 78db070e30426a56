public import SNETTraining

/// The service's settings: the library's (`server`, `jobs`, `limits`, `methods`, ...) and its own
/// `classifier.maxTextBytes`, from one file, the environment and flags; every problem of both is
/// reported at once, and a key nobody reads (a typo) is one of them.
public struct TextClassifierConfiguration: Sendable {
    public var library: LoadedConfiguration
    public var limits: ClassifierLimits

    public static func load(from sources: ConfigurationSources) async throws -> TextClassifierConfiguration {
        let catalog = try TrainableMethodCatalog(descriptorSet: TextClassifierServer.descriptorSet())
        let opened = try await sources.open()
        var limits = ClassifierLimits.defaults
        // Read before the library's keys, so the library counts this key as known.
        if let bytes = opened.int("classifier.maxTextBytes", in: 1...(1 << 20)) { limits.maxTextBytes = bytes }
        let library = try opened.load(methods: Array(catalog.methods.values), base: .defaults)
        return TextClassifierConfiguration(library: library, limits: limits)
    }
}
