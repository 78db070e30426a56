import Configuration

/// Typed reads that collect problems instead of failing at the first: each problem names the key,
/// where its value came from, and what is allowed.
final class SettingsReader {
    private let reader: ConfigReader
    private let recorder: AccessRecorder
    private let sourceNames: [String]
    private let environmentName: (String) -> String
    private let originOfKey: (String) -> String
    private(set) var problems: [ConfigurationError.Problem] = []

    init(
        reader: ConfigReader,
        recorder: AccessRecorder,
        sourceNames: [String],
        environmentName: @escaping (String) -> String,
        origin: @escaping (String) -> String
    ) {
        self.originOfKey = origin
        self.reader = reader
        self.recorder = recorder
        self.sourceNames = sourceNames
        self.environmentName = environmentName
    }

    func problem(_ key: String, _ message: String) {
        problems.append(.init(key: key, message: message))
    }

    func string(_ key: [String]) -> String? {
        checked(key, expected: "text") { reader.string(forKey: ConfigKey(key)) }
    }

    func strings(_ key: [String]) -> [String]? {
        checked(key, expected: "a list of text") { reader.stringArray(forKey: ConfigKey(key)) }
    }

    func bool(_ key: [String]) -> Bool? {
        checked(key, expected: "true or false") { reader.bool(forKey: ConfigKey(key)) }
    }

    func int(_ key: [String], in range: ClosedRange<Int>) -> Int? {
        guard let value = checked(key, expected: "a whole number", { reader.int(forKey: ConfigKey(key)) }) else {
            return nil
        }
        guard range.contains(value) else {
            let bound =
                range.upperBound == .max
                ? "at least \(range.lowerBound)" : "between \(range.lowerBound) and \(range.upperBound)"
            problem(display(key), "\(value)\(origin(key)) is out of range; it must be \(bound).")
            return nil
        }
        return value
    }

    /// A price or rate in cogs: a whole number from 0 to 2^63 - 1.
    func cogs(_ key: [String]) -> UInt64? {
        int(key, in: 0...Int.max).map { UInt64($0) }
    }

    func choice<Choice: CaseIterable & RawRepresentable<String>>(_ key: [String], of type: Choice.Type) -> Choice? {
        guard let text = string(key) else { return nil }
        guard let value = Choice(rawValue: text.lowercased()) else {
            let allowed = Choice.allCases.map(\.rawValue).joined(separator: ", ")
            problem(display(key), "'\(text)'\(origin(key)) is not one of: \(allowed).")
            return nil
        }
        return value
    }

    func display(_ key: [String]) -> String { key.joined(separator: ".") }

    /// Reads `key`; a value that is present but not convertible becomes a problem.
    private func checked<Value>(_ key: [String], expected: String, _ read: () -> Value?) -> Value? {
        let value = read()
        if let event = recorder.lastEvent, event.metadata.key.components == key, value == nil {
            let failed = event.providerResults.lastIndex { if case .failure = $0.result { true } else { false } }
            if failed != nil || event.conversionError != nil {
                problem(
                    display(key),
                    "expected \(expected)\(source(at: failed ?? event.providerResults.count - 1, key: key))."
                )
            }
        }
        return value
    }

    /// ` (from the environment variable X)`, for messages about a value that was read.
    private func origin(_ key: [String]) -> String {
        originOfKey(display(key))
    }

    private func source(at index: Int, key: [String]) -> String {
        guard sourceNames.indices.contains(index) else { return "" }
        let name = sourceNames[index]
        return name == "environment"
            ? " (from the environment variable \(environmentName(display(key))))" : " (from the \(name))"
    }
}
