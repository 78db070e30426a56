import TrainingCore

/// What the one-call commands print: the model and the status the server answered.
struct ModelStatusOutput: Encodable {
    var modelId: String
    var status: String
    var detail: String?
    /// The report as structure, when the server sent it (`status-report-bin`).
    var report: TrainingReport?
}

/// A report's confusion matrix as aligned text lines (rows: the true label, columns: the label
/// given), for human output; the summary and figures are already in the detail's text.
enum ConfusionText {
    static func lines(_ report: TrainingReport?) -> [String] {
        guard let confusion = report?.confusion, !confusion.labels.isEmpty else { return [] }
        let width = max(confusion.labels.map(\.count).max() ?? 1, confusion.counts.joined().map { String($0).count }.max() ?? 1)
        let pad = { (text: String) in String(repeating: " ", count: max(0, width - text.count)) + text }
        var lines = ["confusion (rows: true label, columns: recognised as):"]
        lines.append(pad("") + "  " + confusion.labels.map(pad).joined(separator: " "))
        for (label, row) in zip(confusion.labels, confusion.counts) {
            lines.append(pad(label) + "  " + row.map { pad(String($0)) }.joined(separator: " "))
        }
        return lines
    }
}
