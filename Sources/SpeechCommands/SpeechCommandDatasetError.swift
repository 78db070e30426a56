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

    /// How many files a line names when several share one reason; the rest are counted.
    public static let maximumFilesPerReason = 5

    /// A headline, then one line per reason: `path: reason` for a reason one file has, and
    /// `N files: reason: a.wav, b.wav, … and M more` for a reason many share, so sixty clips that are
    /// not audio read as one line rather than sixty copies of the same sentence.
    public var description: String {
        let headline =
            problems.count == 1
            ? "invalid speech-commands dataset:" : "invalid speech-commands dataset (\(problems.count) problems):"
        var reasons: [String] = []
        var pathsByReason: [String: [String]] = [:]
        for problem in problems {
            if pathsByReason[problem.reason] == nil { reasons.append(problem.reason) }
            pathsByReason[problem.reason, default: []].append(problem.path)
        }
        let lines = reasons.map { reason -> String in
            let paths = (pathsByReason[reason] ?? []).filter { !$0.isEmpty }
            guard paths.count > 1 else { return "  " + (paths.first.map { "\($0): \(reason)" } ?? reason) }
            let named = paths.prefix(Self.maximumFilesPerReason).joined(separator: ", ")
            let more = paths.count > Self.maximumFilesPerReason ? " and \(paths.count - Self.maximumFilesPerReason) more" : ""
            return "  \(paths.count) files: \(reason): \(named)\(more)"
        }
        return ([headline] + lines).joined(separator: "\n")
    }
}
