public import SNETTraining

/// stt-service's settings: the library's (`server`, `jobs`, `links`, `limits`, `methods`, …) and
/// the example service's own `speech.maxClipSeconds`, read from one file, the environment and
/// flags, every problem of both reported at once.
public struct STTServiceConfiguration: Sendable {
    /// The library's settings.
    public var loaded: LoadedConfiguration
    /// The longest clip `stt` and `basic_stt` take and a dataset may hold.
    public var speech: SpeechLimits

    public static func load(from sources: ConfigurationSources) async throws -> STTServiceConfiguration {
        let catalog = try TrainableMethodCatalog(descriptorSet: STTServer.descriptorSet)
        let opened = try await sources.open()
        var speech = SpeechLimits.defaults
        // Read first, so the library counts the key as known.
        if let seconds = opened.int("speech.maxClipSeconds", in: 1...600) { speech.maxClipSeconds = Double(seconds) }
        let loaded = try opened.load(methods: Array(catalog.methods.values), base: .defaults)
        return STTServiceConfiguration(loaded: loaded, speech: speech)
    }
}
