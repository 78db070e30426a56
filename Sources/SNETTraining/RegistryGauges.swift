import Logging
import Prometheus
import TrainingCore

/// `snet_models{method,status}` and `snet_jobs{kind,state}`, read from the registry at each
/// scrape: the registry is shared by every node, so these are the deployment's figures (queued
/// jobs waiting for any node), not one node's. A registry that does not answer leaves the last
/// values and is reported by `snet_registry_up`.
struct RegistryGauges: Sendable {
    let registry: any ModelRegistryBrowsing
    let logger: Logger

    func update(_ metrics: PrometheusCollectorRegistry) async {
        do {
            let models = try await registry.modelCounts()
            for status in ModelStatus.allCases {
                for method in Set(models.map(\.method)) {
                    let count = models.first { $0.method == method && $0.status == status }?.count ?? 0
                    metrics.makeGauge(
                        descriptor: .init(metricName: "snet_models", unitName: "", helpText: "Models by trainable method and status."),
                        labels: [("method", method.description), ("status", status.rawValue)]
                    ).set(Double(count))
                }
            }
            let jobs = try await registry.jobCounts()
            for kind in [TrainingJob.Kind.validate, .train] {
                for state in [TrainingJob.State.queued, .running, .succeeded, .failed, .cancelled] {
                    let count = jobs.first { $0.kind == kind && $0.state == state }?.count ?? 0
                    metrics.makeGauge(
                        descriptor: .init(
                            metricName: "snet_jobs", unitName: "",
                            helpText: "Validation and training jobs by state, across every node sharing the registry."
                        ),
                        labels: [("kind", kind.rawValue), ("state", state.rawValue)]
                    ).set(Double(count))
                }
            }
        } catch {
            logger.debug("registry figures not read for the scrape", metadata: ["error": "\(error)"])
        }
    }
}
