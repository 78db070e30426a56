/// What a trainer says about a dataset it validated or a model it trained: a one-line summary,
/// named figures, and optionally a confusion matrix. Stored as structure by the registry; shown as
/// text (``text(limit:)``, the one rendering) wherever only text fits: the status detail, the
/// `status-detail` trailers, logs.
///
/// ```swift
/// return TrainingReport(
///     "Trained on 10 words, 350 clips.",
///     figures: [.init("Held-out accuracy", number: 0.972, shown: "97.2%")],
///     confusion: ConfusionMatrix(labels: ["no", "yes"], counts: [[17, 1], [0, 18]])
/// )
/// ```
public struct TrainingReport: Sendable, Hashable, Codable {
    /// One line: what was validated or trained. Line breaks become spaces.
    public var summary: String
    /// Named results, in the order the trainer gives them.
    public var figures: [Figure]
    /// How held-out examples were classified, when the trainer measured it.
    public var confusion: ConfusionMatrix?

    public init(_ summary: String, figures: [Figure] = [], confusion: ConfusionMatrix? = nil) {
        self.summary = Self.oneLine(summary)
        self.figures = figures
        self.confusion = confusion
    }

    /// One named result: `number` for tools (nil for a figure that is text), `shown` for people.
    public struct Figure: Sendable, Hashable, Codable {
        public var name: String
        public var number: Double?
        public var shown: String

        /// A measurement; shown as the number itself unless `shown` says otherwise ("97.2%").
        public init(_ name: String, number: Double, shown: String? = nil) {
            self.name = TrainingReport.oneLine(name)
            self.number = number.isFinite ? number : nil
            self.shown = TrainingReport.oneLine(shown ?? Self.format(number))
        }

        /// A result that is text ("Most confused": "no heard as go (2)").
        public init(_ name: String, text: String) {
            self.name = TrainingReport.oneLine(name)
            self.number = nil
            self.shown = TrainingReport.oneLine(text)
        }

        private static func format(_ number: Double) -> String {
            guard number.isFinite else { return "\(number)" }
            if number == number.rounded(), abs(number) < 1e15 { return String(Int64(number)) }
            return "\(number)"
        }
    }

    static func oneLine(_ text: String) -> String {
        String(text.map { $0.isNewline ? " " : $0 })
    }
}

/// Counts of held-out examples by the label they have (rows) and the label the model gave them
/// (columns), over the same `labels` in both directions.
public struct ConfusionMatrix: Sendable, Hashable, Codable {
    public var labels: [String]
    public var counts: [[Int]]

    /// Nil unless `counts` is square over `labels`.
    public init?(labels: [String], counts: [[Int]]) {
        guard counts.count == labels.count, counts.allSatisfy({ $0.count == labels.count }) else { return nil }
        self.labels = labels
        self.counts = counts
    }
}

extension TrainingReport {
    /// The report as text: the summary, then one `name: shown` line per figure; the confusion
    /// matrix is left to readers of the structure. Bounded to `limit` UTF-8 bytes, figures cut
    /// first (the summary is what matters most), with a note of what was left out.
    public func text(limit: Int = StatusDetailLimits.storedBytes) -> String {
        let lines = [summary] + figures.map { "\($0.name): \($0.shown)" }
        return lines.joined(separator: "\n").bounded(toUTF8Bytes: limit)
    }
}

extension TrainingReport {
    /// This report within ``StatusDetailLimits``: what a registry stores, so a trainer with a lot to
    /// say cannot grow a record or a trailer without bound.
    public func bounded() -> TrainingReport {
        var copy = self
        copy.summary = summary.bounded(toUTF8Bytes: StatusDetailLimits.summaryBytes)
        copy.figures = figures.prefix(StatusDetailLimits.figureCount).map { figure in
            var figure = figure
            figure.name = figure.name.bounded(toUTF8Bytes: StatusDetailLimits.figureNameBytes)
            figure.shown = figure.shown.bounded(toUTF8Bytes: StatusDetailLimits.figureTextBytes)
            return figure
        }
        if let confusion,
            confusion.labels.count > StatusDetailLimits.confusionLabels
                || confusion.labels.contains(where: { $0.utf8.count > StatusDetailLimits.figureNameBytes })
        {
            copy.confusion = nil
        }
        return copy
    }
}

/// A report that is only a summary can be written as text: `return "Trained on \(count) texts."`.
extension TrainingReport: ExpressibleByStringInterpolation {
    public init(stringLiteral summary: String) {
        self.init(summary)
    }
}
