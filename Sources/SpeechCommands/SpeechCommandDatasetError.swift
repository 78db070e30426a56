/// A dataset that cannot be used, with every problem found (up to
/// `SpeechCommandDatasetError.maximumListedProblems`, then one line counting the rest), so the
/// person who made it can fix them all in one go.
public struct SpeechCommandDatasetError: Error, Hashable, CustomStringConvertible {
    /// How many problems are listed individually before the rest are only counted.
    public static let maximumListedProblems = 50

    /// The problems, in a stable order (by path).
    public var problems: [DatasetProblem]

    /// Wraps the problems found.
    public init(problems: [DatasetProblem]) {
        self.problems = problems
    }

    /// Wraps the problems found: `throw .invalid(problems)`.
    public static func invalid(_ problems: [DatasetProblem]) -> Self {
        Self(problems: problems)
    }

    /// A headline followed by one problem per line.
    public var description: String {
        let headline =
            problems.count == 1
            ? "invalid speech-commands dataset:" : "invalid speech-commands dataset (\(problems.count) problems):"
        return ([headline] + problems.map { "  \($0)" }).joined(separator: "\n")
    }
}
