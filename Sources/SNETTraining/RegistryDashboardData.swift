import Foundation
import TrainingCore
import TrainingOperations

/// The dashboard's figures, read from the model registry on each page view.
struct RegistryDashboardData: DashboardDataSource {
    let registry: any ModelRegistry & ModelRegistryBrowsing

    func overview() async throws -> DashboardOverview {
        let models = try await registry.modelCounts()
        let jobs = try await registry.jobCounts()
        func total(_ state: TrainingJob.State) -> Int { jobs.filter { $0.state == state }.reduce(0) { $0 + $1.count } }
        let byStatus = Dictionary(grouping: models, by: \.status).mapValues { $0.reduce(0) { $0 + $1.count } }
        let byMethod = Dictionary(grouping: models.filter { $0.status != .deleted }, by: \.method)
            .mapValues { $0.reduce(0) { $0 + $1.count } }
        return DashboardOverview(
            modelsByStatus: ModelStatus.allCases.compactMap { status in
                byStatus[status].map { DashboardCount(label: status.rawValue, count: $0) }
            },
            modelsByMethod: byMethod.keys.sorted { $0.description < $1.description }.map {
                DashboardCount(label: $0.description, count: byMethod[$0] ?? 0)
            },
            jobsQueued: total(.queued), jobsRunning: total(.running), jobsFailed: total(.failed),
            recentErrors: try await registry.recentModels(limit: 10, status: .errored).map(Self.row),
            recentModels: try await registry.recentModels(limit: 25, status: nil).map(Self.row)
        )
    }

    func model(id: String) async throws -> DashboardModel? {
        guard let model = try await registry.model(id: id) else { return nil }
        let history = try await registry.statusHistory(modelID: id)
        let jobs = try await registry.jobs(modelID: id)
        var fields: [DashboardCount.Field] = [
            .init(name: "Id", value: model.id),
            .init(name: "Method", value: model.method.description),
            .init(name: "Created", value: DashboardPages.time(model.createdAt)),
            .init(name: "Updated", value: DashboardPages.time(model.updatedAt)),
            .init(name: "Public", value: model.isPublic ? "yes" : "no"),
            .init(name: "Addresses", value: model.addressList.isEmpty ? "none" : model.addressList.joined(separator: ", ")),
        ]
        if let creator = model.createdBy { fields.append(.init(name: "Created by", value: creator)) }
        if !model.description.isEmpty { fields.append(.init(name: "Description", value: model.description)) }
        if let dataset = model.dataset {
            fields.append(.init(name: "Dataset", value: "\(dataset.originalName), \(dataset.byteCount) bytes"))
        }
        if let link = model.trainingDataLink { fields.append(.init(name: "Dataset link", value: link)) }
        let reports = ModelReport(history: history, current: model.statusDetail)
        return DashboardModel(
            row: Self.row(model), fields: fields,
            history: history.map { DashboardStatusEvent(status: $0.status.rawValue, at: $0.at, detail: $0.detail ?? "") },
            jobs: jobs.map {
                DashboardJob(kind: $0.kind.rawValue, state: $0.state.rawValue, attempts: $0.attempts, worker: $0.worker ?? "", createdAt: $0.createdAt)
            },
            figures: reports.figures, confusion: reports.confusion
        )
    }

    static func row(_ model: ModelRecord) -> DashboardModelRow {
        DashboardModelRow(
            id: model.id, name: model.name, method: model.method.description, status: model.status.rawValue,
            detail: model.statusDetail ?? "", updatedAt: model.updatedAt
        )
    }
}
