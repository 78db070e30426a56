/// Every metric family the library records, with its HELP text and, for histograms, buckets chosen
/// for what it measures: RPC latencies from a millisecond (status calls) to many minutes (uploads),
/// job durations from seconds to hours, upload sizes from a kilobyte to many gigabytes. A family
/// missing here is exported with its name as HELP text (a test scrapes a busy server and checks
/// that none is).
package enum MetricCatalog {
    package struct Family: Sendable {
        package var help: String
        /// Upper bounds of a histogram's buckets (seconds for durations); nil for counters and gauges.
        package var buckets: [Double]?
    }

    /// Seconds, for RPCs: status calls take milliseconds, inference up to seconds, uploads minutes.
    static let callSeconds: [Double] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 900, 1800]
    /// Seconds, for validation and training jobs: seconds (a tiny dataset) to hours.
    static let jobSeconds: [Double] = [1, 5, 15, 30, 60, 120, 300, 600, 1200, 1800, 3600, 7200, 14400, 28800, 86400]
    /// Seconds, for one inference call.
    static let inferenceSeconds: [Double] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60]
    /// Seconds, for one registry query (SQLite on disk, PostgreSQL over the network).
    static let querySeconds: [Double] = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]
    /// Bytes, for one dataset upload: 1 KiB to 64 GiB by powers of four.
    static let uploadBytes: [Double] = (0...13).map { Double(1 << (10 + 2 * $0)) }
    /// Seconds, for one dataset upload stream: under a second to an hour.
    static let uploadSeconds: [Double] = [0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1200, 1800, 3600]

    package static let families: [String: Family] = [
        // RPCs (RPCMetricsInterceptor); health probes are counted apart.
        "grpc_server_handled_total": .init(help: "RPCs completed, by service, method and gRPC status code (health probes excluded)."),
        "grpc_server_handling_seconds": .init(help: "Time from an RPC's start to its last response message, in seconds.", buckets: callSeconds),
        "grpc_server_in_flight": .init(help: "RPCs being handled now."),
        "grpc_server_msg_received_total": .init(help: "Request messages received."),
        "grpc_server_msg_sent_total": .init(help: "Response messages sent."),
        "grpc_server_received_bytes_total": .init(help: "Request message bytes received (serialized size)."),
        "grpc_server_sent_bytes_total": .init(help: "Response message bytes sent (serialized size)."),
        "grpc_server_health_checks_total": .init(help: "grpc.health.v1.Health calls (load balancer and orchestrator probes), by method and status code."),
        // Connections (the transport's accept hook).
        "snet_connections_open": .init(help: "Client connections open on the gRPC port."),
        "snet_connections_accepted_total": .init(help: "Client connections accepted on the gRPC port."),
        "snet_connections_refused_total": .init(help: "Client connections closed at once because the connection limit was reached."),
        // Jobs (the job runner and the workflow).
        "snet_jobs_started_total": .init(help: "Validation and training jobs this node started, by kind."),
        "snet_jobs_running": .init(help: "Validation and training jobs running on this node, by kind."),
        "snet_job_duration_seconds": .init(help: "How long this node's jobs ran, by kind, in seconds.", buckets: jobSeconds),
        "snet_job_outcomes_total": .init(help: "How this node's jobs ended: succeeded, errored, cancelled or timed_out, by kind."),
        "snet_job_lease_renewals_total": .init(help: "Job lease renewals by result: renewed, or lost to another node."),
        "snet_jobs_recovered_total": .init(help: "Jobs re-queued after their worker stopped renewing its lease."),
        "snet_validation_results_total": .init(help: "Dataset validations by result: valid, or the stage that refused the dataset."),
        // Uploads (the workflow).
        "snet_upload_streams_total": .init(help: "upload_and_validate streams by result: accepted or refused."),
        "snet_upload_bytes_total": .init(help: "Dataset bytes received by upload_and_validate."),
        "snet_upload_size_bytes": .init(help: "Size of each accepted dataset upload, in bytes.", buckets: uploadBytes),
        "snet_upload_seconds": .init(help: "Duration of each accepted dataset upload stream, in seconds.", buckets: uploadSeconds),
        // Inference (trainable methods).
        "snet_inference_seconds": .init(help: "Inference calls answered by a trained or default model, by method, in seconds.", buckets: inferenceSeconds),
        "snet_inference_running": .init(help: "Inference calls running now, by method."),
        "snet_inference_waiting": .init(help: "Inference calls waiting for a slot, by method."),
        "snet_model_cache_total": .init(help: "Trained-model lookups by method and result: hit (already loaded) or load."),
        "snet_model_cache_evictions_total": .init(help: "Trained models dropped from the loaded-model cache, by method."),
        // Registry.
        "snet_registry_up": .init(help: "Whether the model registry answered the last health probe (1) or not (0)."),
        "snet_registry_query_seconds": .init(help: "Model registry queries by kind, in seconds.", buckets: querySeconds),
    ]

    /// The HELP text of `name`; the name itself for a family not listed.
    package static func help(_ name: String) -> String { families[name]?.help ?? name }
}

extension MetricCatalog.Family {
    init(help: String) { self.init(help: help, buckets: nil) }
}
