import Metrics
import TrainingCore

/// The workflow's figures: how jobs end (`snet_job_outcomes_total{kind,outcome}`, outcome
/// `succeeded` or `errored`; the job runner counts `cancelled` and `timed_out`), why validations
/// end as they do (`snet_validation_results_total{result}`: `valid`, or the stage that refused the
/// dataset: `link`, `archive`, `dataset` (the trainer), `disk`, `internal`), and uploads
/// (`snet_upload_streams_total{result="accepted"|"refused"}`, `snet_upload_bytes_total`, and the size
/// and duration of each accepted upload: `snet_upload_size_bytes`, `snet_upload_seconds`).
enum WorkflowMetrics {
    /// Where a validation stopped: the class of its outcome.
    enum ValidationResult: String {
        case valid, link, archive, dataset, disk, `internal`
    }

    static func jobEnded(_ kind: TrainingJob.Kind, succeeded: Bool) {
        Counter(label: "snet_job_outcomes_total", dimensions: [("kind", kind.rawValue), ("outcome", succeeded ? "succeeded" : "errored")])
            .increment()
    }

    static func validation(_ result: ValidationResult) {
        Counter(label: "snet_validation_results_total", dimensions: [("result", result.rawValue)]).increment()
    }

    static func uploadStream(accepted: Bool) {
        Counter(label: "snet_upload_streams_total", dimensions: [("result", accepted ? "accepted" : "refused")]).increment()
    }

    static func uploadBytes(_ bytes: UInt64) {
        if bytes > 0 { Counter(label: "snet_upload_bytes_total").increment(by: Int(clamping: bytes)) }
    }

    static func uploadAccepted(bytes: UInt64, since start: ContinuousClock.Instant) {
        Recorder(label: "snet_upload_size_bytes", aggregate: true).record(bytes)
        Timer(label: "snet_upload_seconds").recordNanoseconds((ContinuousClock.now - start).nanoseconds)
    }
}
