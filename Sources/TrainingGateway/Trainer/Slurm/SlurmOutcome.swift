/// What a job's end means for the model: how the trainer ended, or a job to submit again.
enum SlurmOutcome: Equatable {
    case ended(TrainerRunResult.End)
    /// The cluster lost the job through no fault of the trainer; `reason` says how.
    case resubmit(reason: String)

    /// The outcome of a job that the scheduler ended (`job.isFinished`), when the batch script
    /// recorded no exit status of the trainer (`recorded` nil) or one the scheduler's verdict overrides.
    static func of(_ job: SlurmJobState, recorded: TrainerRunResult.End?) -> SlurmOutcome {
        switch job.state {
        case "NODE_FAIL":
            return .resubmit(reason: "the cluster node running it failed (\(job.nodes))")
        case "BOOT_FAIL":
            return .resubmit(reason: "the cluster node for it failed to boot")
        case "PREEMPTED":
            return .resubmit(reason: "the cluster preempted it for a job of higher priority")
        case "OUT_OF_MEMORY":
            return .ended(.stopped(reason: "the trainer ran out of memory on the cluster; the provider may raise the job's memory (trainer.slurm.memory)."))
        case "TIMEOUT":
            return .ended(.timedOut)
        case "CANCELLED":
            return .ended(
                .stopped(
                    reason:
                        "the cluster cancelled the job (an administrator or a policy of the cluster). Try again; if it keeps failing, contact the service provider."
                ))
        case "DEADLINE":
            return .ended(.stopped(reason: "the job reached its deadline on the cluster before it finished."))
        case "COMPLETED", "FAILED":
            if let recorded { return .ended(recorded) }
            if job.exitSignal > 0 { return .ended(.signalled(job.exitSignal)) }
            return .ended(.exited(job.exitStatus))
        default:
            return .ended(.stopped(reason: "the cluster ended the job (\(job.state), \(job.reason))."))
        }
    }
}
