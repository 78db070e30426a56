import Metrics
import TrainingCore

/// The job runner's figures: jobs running on this node (`snet_jobs_running{kind}`), started
/// (`snet_jobs_started_total{kind}`), how long they ran (`snet_job_duration_seconds{kind}`), lease
/// renewals (`snet_job_lease_renewals_total{result}`) and jobs recovered from dead workers
/// (`snet_jobs_recovered_total`). (Its own file: Foundation's `Timer` would shadow the metric type.)
enum JobMetrics {
    /// Counts the job as started and running; call the returned closure when it ends.
    static func started(_ kind: TrainingJob.Kind) -> @Sendable () -> Void {
        let dimensions = [("kind", kind.rawValue)]
        Counter(label: "snet_jobs_started_total", dimensions: dimensions).increment()
        let running = Meter(label: "snet_jobs_running", dimensions: dimensions)
        running.increment()
        let start = ContinuousClock.now
        return {
            running.decrement()
            Timer(label: "snet_job_duration_seconds", dimensions: dimensions).recordNanoseconds((ContinuousClock.now - start).nanoseconds)
        }
    }

    static func leaseRenewed(_ held: Bool) {
        Counter(label: "snet_job_lease_renewals_total", dimensions: [("result", held ? "renewed" : "lost")]).increment()
    }

    /// A job this node stopped: `cancelled` (deleted or given new work, shutdown) or `timed_out`
    /// (its time limit), in `snet_job_outcomes_total{kind,outcome}` beside the workflow's outcomes.
    static func stopped(_ kind: TrainingJob.Kind, timedOut: Bool) {
        Counter(label: "snet_job_outcomes_total", dimensions: [("kind", kind.rawValue), ("outcome", timedOut ? "timed_out" : "cancelled")])
            .increment()
    }

    static func recovered(_ count: Int) {
        Counter(label: "snet_jobs_recovered_total").increment(by: count)
    }
}
