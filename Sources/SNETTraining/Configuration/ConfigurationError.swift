/// Why a configuration was refused: every problem found, each naming its key and where the value
/// came from, so a provider can fix them all in one go.
public struct ConfigurationError: Error, Sendable, CustomStringConvertible {
    /// One bad value.
    public struct Problem: Sendable, Hashable, CustomStringConvertible {
        /// The configuration key, dotted (`methods.stt.pricing.policy`).
        public var key: String
        /// What is wrong and what is allowed.
        public var message: String

        public init(key: String, message: String) {
            self.key = key
            self.message = message
        }

        public var description: String { "\(key): \(message)" }
    }

    public var problems: [Problem]

    public init(problems: [Problem]) {
        self.problems = problems
    }

    /// One line for one problem (a missing file reads as one sentence), a list for several.
    public var description: String {
        if problems.count == 1, let only = problems.first { return "The configuration is not valid: \(only)" }
        return "The configuration is not valid:\n" + problems.map { "  - \($0)" }.joined(separator: "\n")
    }
}
