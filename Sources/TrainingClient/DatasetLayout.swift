/// The folder layout a method's `dataset_description` asks for, when it names one the way this
/// project's methods do: `<word>/<any name>.wav` is a file one folder deep. Nil when the
/// description has no such pattern (then any layout is packed as it is).
public struct DatasetLayout: Sendable, Hashable {
    /// The pattern as the description writes it.
    public var pattern: String
    /// How many path components a file has in the archive (2 for `<word>/<any name>.wav`).
    public var depth: Int

    public init?(description: String) {
        guard let match = description.firstMatch(of: /(?:<[^<>\/\s]+>\/)+<[^<>\/]+>(?:\.[A-Za-z0-9]+)?/) else { return nil }
        pattern = String(match.output)
        depth = pattern.split(separator: "/").count
    }

    /// Files whose place breaks the layout. A folder around the whole dataset (what
    /// `zip -r words.zip words/` stores) is accepted, as the server removes it.
    public func misplaced(_ paths: [[String]]) -> [[String]] {
        let wrapped = paths.allSatisfy { $0.count == depth + 1 } && Set(paths.map(\.first)).count == 1
        return wrapped ? [] : paths.filter { $0.count != depth }
    }
}
