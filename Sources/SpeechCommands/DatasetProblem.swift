/// One thing wrong with a dataset folder, found while loading it.
public struct DatasetProblem: Sendable, Hashable, CustomStringConvertible {
    /// The offending file or folder relative to the dataset root, e.g. `yes/clip3.wav` or
    /// `maybe/`; empty for problems with the dataset as a whole.
    public var path: String
    /// What is wrong and what would be accepted, in plain English.
    public var reason: String

    /// Creates a problem report.
    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    /// `path: reason`, or just the reason for dataset-wide problems.
    public var description: String { path.isEmpty ? reason : "\(path): \(reason)" }
}
