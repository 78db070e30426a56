import Foundation
import TrainingCore

/// Reads the JSON lines a trainer prints on standard output (docs/trainer-protocol.md): `progress`
/// (0 to 1), `message`, `metrics` (an object of names and numbers or text), `report` (the final
/// one-line report) with its optional `figures` (names and numbers or text) and `confusion`
/// (`labels`, `counts`), and `error` (why it failed). Lines that are not JSON objects are ignored.
struct TrainerOutput {
    /// The last `report` seen.
    private(set) var report: String?
    /// The last `figures` seen, in name order.
    private(set) var figures: [TrainingReport.Figure] = []
    /// The last well-formed `confusion` seen.
    private(set) var confusion: ConfusionMatrix?
    /// The last `error` seen.
    private(set) var error: String?
    private var progress: Double?
    private var message: String?
    private var metrics: [String: String] = [:]
    private(set) var ignoredLines = 0

    /// Takes one line; returns the new status detail when the line changed what is shown.
    mutating func consume(_ line: [UInt8], phase: String) -> String? {
        guard let object = (try? JSONSerialization.jsonObject(with: Data(line))) as? [String: Any] else {
            if !line.allSatisfy({ $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }) { ignoredLines += 1 }
            return nil
        }
        var changed = false
        if let value = object["progress"] as? Double, value.isFinite {
            progress = min(max(value, 0), 1)
            changed = true
        }
        if let text = object["message"] as? String {
            message = TrainerMessage.bounded(text, limit: 200)
            changed = true
        }
        if let values = object["metrics"] as? [String: Any] {
            // A bounded number of metrics, each bounded: the detail is one short line.
            for (name, value) in values.sorted(by: { $0.key < $1.key }).prefix(8) {
                let shown: String
                switch value {
                case let number as NSNumber: shown = number.stringValue
                case let text as String: shown = text
                default: continue
                }
                metrics[TrainerMessage.bounded(name, limit: 40)] = TrainerMessage.bounded(shown, limit: 40)
            }
            if metrics.count > 16 { metrics = Dictionary(uniqueKeysWithValues: metrics.sorted { $0.key < $1.key }.prefix(16).map { ($0, $1) }) }
            changed = true
        }
        if let text = object["report"] as? String { report = TrainerMessage.bounded(text) }
        if let values = object["figures"] as? [String: Any] { figures = Self.figures(values) }
        if let matrix = object["confusion"] as? [String: Any], let labels = matrix["labels"] as? [String],
            let rows = matrix["counts"] as? [[Any]]
        {
            let counts = rows.map { $0.map { ($0 as? NSNumber)?.intValue ?? 0 } }
            confusion = ConfusionMatrix(labels: labels.map { TrainerMessage.bounded($0, limit: 40) }, counts: counts) ?? confusion
        }
        if let text = object["error"] as? String { error = TrainerMessage.bounded(text) }
        return changed ? detail(phase: phase) : nil
    }

    /// The run's report: the last `report` with the last `figures` and `confusion`.
    var finalReport: TrainingReport? {
        report.map { TrainingReport($0, figures: figures, confusion: confusion) }
    }

    /// Named figures, bounded like metrics (the registry bounds the report again as a whole).
    private static func figures(_ values: [String: Any]) -> [TrainingReport.Figure] {
        values.sorted { $0.key < $1.key }.prefix(StatusDetailLimits.figureCount).compactMap { name, value in
            let name = TrainerMessage.bounded(name, limit: 40)
            switch value {
            case let number as NSNumber: return .init(name, number: number.doubleValue)
            case let text as String: return .init(name, text: TrainerMessage.bounded(text))
            default: return nil
            }
        }
    }

    /// `Training: 40%, read 40 texts (accuracy 0.797)`.
    func detail(phase: String) -> String {
        var text = "\(phase):"
        if let progress { text += " \(Int((progress * 100).rounded()))%" }
        if let message { text += (progress == nil ? " " : ", ") + message }
        if !metrics.isEmpty {
            text += " (" + metrics.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ") + ")"
        }
        return TrainerMessage.bounded(text)
    }
}
