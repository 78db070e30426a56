import Foundation
import TrainingCore
import TrainingOperations

/// The figures a model's reports give the dashboard. Trainers return a one-line report: plain
/// text is shown as it is; a JSON object is shown field by field, and one with a `confusion`
/// object (`labels`, and `counts` as rows of the true label by columns of the predicted one)
/// becomes the heat-map. The validation report is the detail recorded when the model became
/// VALIDATED, the training report the one at READY_TO_USE.
struct ModelReport {
    var figures: [DashboardCount.Field] = []
    var confusion: DashboardConfusion?

    init(history: [ModelStatusEvent], current: String?) {
        let validation = history.last { $0.status == .validated }?.detail
        let training = history.last { $0.status == .readyToUse }?.detail
        for (title, report) in [("Validation", validation), ("Training", training)] {
            guard let report, !report.isEmpty else { continue }
            read(report, title: title)
        }
        if validation == nil, training == nil, let current, !current.isEmpty {
            figures.append(.init(name: "Detail", value: current))
        }
    }

    private mutating func read(_ report: String, title: String) {
        guard let start = report.firstIndex(of: "{"),
            let object = try? JSONSerialization.jsonObject(with: Data(report[start...].utf8)) as? [String: Any]
        else {
            figures.append(.init(name: "\(title) report", value: report))
            return
        }
        let prefix = report[..<start].trimmingCharacters(in: .whitespaces)
        if !prefix.isEmpty { figures.append(.init(name: "\(title) report", value: prefix)) }
        for key in object.keys.sorted() where key != "confusion" {
            figures.append(.init(name: "\(title): \(key)", value: Self.text(object[key] as Any)))
        }
        if let matrix = object["confusion"] as? [String: Any], let labels = matrix["labels"] as? [String],
            let rows = matrix["counts"] as? [[Any]], rows.count == labels.count,
            rows.allSatisfy({ $0.count == labels.count })
        {
            confusion = DashboardConfusion(labels: labels, counts: rows.map { $0.map { ($0 as? NSNumber)?.intValue ?? 0 } })
        }
    }

    private static func text(_ value: Any) -> String {
        switch value {
        case let number as NSNumber: return number.stringValue
        case let text as String: return text
        case let list as [Any]: return list.map(text).joined(separator: ", ")
        case let object as [String: Any]: return object.keys.sorted().map { "\($0) \(text(object[$0] as Any))" }.joined(separator: ", ")
        default: return "\(value)"
        }
    }
}
