/// The job a trainer is called for. The job handler sets it around every trainer call, so a trainer
/// whose runs outlive the server process (a job of a cluster scheduler) can recognise the same run
/// when the job is taken up again after a crash, instead of running it twice.
public struct TrainerJob: Sendable, Hashable {
    public var jobID: String
    public var modelID: String

    public init(jobID: String, modelID: String) {
        self.jobID = jobID
        self.modelID = modelID
    }

    /// The job of the running trainer call; nil outside a job (a trainer's own tests).
    @TaskLocal public static var current: TrainerJob?
}
