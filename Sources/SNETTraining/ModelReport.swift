import TrainingCore
import TrainingOperations

/// The figures a model's reports give the dashboard, read from the reports the registry stores
/// as structure: each report's summary and named figures, and the training report's confusion
/// matrix (else the validation report's) as the heat-map. The validation report is the one
/// recorded when the model became VALIDATED, the training report the one at READY_TO_USE; a
/// status recorded without a report (by a node of an older version) shows its detail as text.
struct ModelReport {
    var figures: [DashboardCount.Field] = []
    var confusion: DashboardConfusion?

    init(history: [ModelStatusEvent], current: String?) {
        let validation = history.last { $0.status == .validated }
        let training = history.last { $0.status == .readyToUse }
        for (title, event) in [("Validation", validation), ("Training", training)] {
            guard let event else { continue }
            if let report = event.report {
                add(report, title: title)
            } else if let detail = event.detail, !detail.isEmpty {
                figures.append(.init(name: "\(title) report", value: detail))
            }
        }
        if validation == nil, training == nil, let current, !current.isEmpty {
            figures.append(.init(name: "Detail", value: current))
        }
    }

    private mutating func add(_ report: TrainingReport, title: String) {
        figures.append(.init(name: "\(title) report", value: report.summary))
        for figure in report.figures {
            figures.append(.init(name: "\(title): \(figure.name)", value: figure.shown))
        }
        if let matrix = report.confusion {
            confusion = DashboardConfusion(labels: matrix.labels, counts: matrix.counts)
        }
    }
}
