public import Foundation

// The lifecycle's legal moves. Each checks the current status first and throws a
// FAILED_PRECONDITION naming it, so a caller never writes an illegal state.
extension ModelRecord {
    /// A new dataset has been stored; validation is about to be queued.
    public mutating func beginValidation(dataset: DatasetReference?, link: String?, now: Date) throws(TrainingError) {
        try requireStatus(
            in: [.created, .validated, .readyToUse, .errored],
            toDo: "validate a new dataset",
            hint: Self.waitHint(status)
        )
        if let dataset { self.dataset = dataset }
        trainingDataLink = link
        // datasetDirectory keeps the last validated dataset until a new one replaces it.
        status = .validating
        setDetail("Validation queued.")
        updatedAt = now
    }

    /// Validation accepted `dataset` (the uploaded archive, or the one fetched from the link),
    /// extracted into `datasetDirectory`; the trainer's `report` is kept (bounded) with its text
    /// as the status detail.
    public mutating func finishValidation(
        dataset: DatasetReference, datasetDirectory: String, report: TrainingReport, now: Date
    ) throws(TrainingError) {
        try requireStatus(in: [.validating], toDo: "finish validation", hint: "")
        self.dataset = dataset
        self.datasetDirectory = datasetDirectory
        status = .validated
        setReport(report)
        updatedAt = now
    }

    public mutating func beginTraining(now: Date) throws(TrainingError) {
        if let refusal = erroredRefusal(toDo: "train") { throw refusal }
        try requireStatus(in: [.validated, .readyToUse], toDo: "train", hint: Self.trainHint(status))
        guard datasetDirectory != nil else {
            throw .failedPrecondition("Model '\(id)' has no validated dataset. Upload a dataset and wait for VALIDATED first.")
        }
        status = .training
        setDetail("Training queued.")
        updatedAt = now
    }

    /// Training wrote the model to `artifactPath`; the trainer's `report` is kept as for validation.
    public mutating func finishTraining(artifactPath: String, report: TrainingReport, now: Date) throws(TrainingError) {
        try requireStatus(in: [.training], toDo: "finish training", hint: "")
        self.artifactPath = artifactPath
        status = .readyToUse
        setReport(report)
        updatedAt = now
    }

    /// A job failed; `reason` is what the consumer's tools show.
    public mutating func fail(reason: String, now: Date) throws(TrainingError) {
        try requireStatus(in: [.validating, .training], toDo: "record a failure", hint: "")
        status = .errored
        setDetail(reason)
        updatedAt = now
    }

    /// An upload was refused for its content while it was still arriving (not an archive by its first
    /// bytes, over the method's size limit, a file type the method does not take): the model ends
    /// ERRORED with `reason`, as it would have after validating the whole file, so a consumer
    /// behind the daemon (whose upload call shows no reason) finds the reason in its next calls.
    /// The last validated dataset and trained model stay, as after any failed validation.
    public mutating func refuseDataset(reason: String, now: Date) throws(TrainingError) {
        try requireStatus(
            in: [.created, .validated, .readyToUse, .errored],
            toDo: "validate a new dataset",
            hint: Self.waitHint(status)
        )
        status = .errored
        setDetail(reason)
        updatedAt = now
    }

    /// The model's job was interrupted by server failures `maxAttempts` times and given up.
    public mutating func failAfterInterruptions(maxAttempts: Int, now: Date) throws(TrainingError) {
        let work = status == .validating ? "Validation" : "Training"
        try fail(
            reason: "\(work) was interrupted \(maxAttempts) times by a server failure and was stopped. "
                + "Upload the dataset again (then train, if training was stopped); if it keeps failing, contact the service provider.",
            now: now
        )
    }

    /// Progress of the running job, shown as the status detail.
    public mutating func report(progress: String, now: Date) throws(TrainingError) {
        try requireStatus(in: [.validating, .training], toDo: "report progress", hint: "")
        setDetail(progress)
        updatedAt = now
    }

    /// Deletion is always allowed and idempotent.
    public mutating func markDeleted(now: Date) {
        guard status != .deleted else { return }
        status = .deleted
        setDetail("Deleted.")
        updatedAt = now
    }

    // Hints name the next step for the model's state in words any client can follow (the daemon's
    // consumers, snet-train, a provider's tools), never a particular client's commands or RPCs.

    /// Why a new dataset must wait, by status.
    private static func waitHint(_ status: ModelStatus) -> String {
        switch status {
        case .validating: "Its dataset is being validated; wait until the status is VALIDATED or ERRORED, then send the new one."
        case .training: "It is training; wait until the status is READY_TO_USE or ERRORED, then send the new dataset."
        case .deleted: "A deleted model cannot be used again; create a new model."
        default: ""
        }
    }

    /// What to do before training, by status.
    private static func trainHint(_ status: ModelStatus) -> String {
        switch status {
        case .created: "Upload a dataset (or validate one by link) and wait for VALIDATED first."
        case .validating: "Its dataset is being validated; wait for VALIDATED, then train."
        case .training: "It is already training; wait for READY_TO_USE."
        case .deleted: "A deleted model cannot be used again; create a new model."
        default: ""
        }
    }

    /// A detail that is not a report (a reason, progress, a step): the previous report no longer
    /// describes the model.
    private mutating func setDetail(_ text: String) {
        report = nil
        statusDetail = text.bounded(toUTF8Bytes: StatusDetailLimits.storedBytes)
    }

    private mutating func setReport(_ report: TrainingReport) {
        let kept = report.bounded()
        self.report = kept
        statusDetail = kept.text()
    }

    private func requireStatus(in allowed: Set<ModelStatus>, toDo action: String, hint: String) throws(TrainingError) {
        guard allowed.contains(status) else {
            let tail = hint.isEmpty ? "" : " \(hint)"
            throw .failedPrecondition("Cannot \(action): model '\(id)' is \(status.rawValue).\(tail)")
        }
    }
}
