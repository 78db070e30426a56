public import Foundation

// The lifecycle's legal moves. Each checks the current status first and throws a
// FAILED_PRECONDITION naming it, so a caller never writes an illegal state.
extension ModelRecord {
    /// A new dataset has been stored; validation is about to be queued.
    public mutating func beginValidation(dataset: DatasetReference?, link: String?, now: Date) throws(TrainingError) {
        try requireStatus(
            in: [.created, .validated, .readyToUse, .errored],
            toDo: "validate a new dataset",
            hint: "Wait until the current job ends (poll get_model_status)."
        )
        if let dataset { self.dataset = dataset }
        trainingDataLink = link
        // datasetDirectory keeps the last validated dataset until a new one replaces it.
        status = .validating
        statusDetail = "Validation queued."
        updatedAt = now
    }

    public mutating func finishValidation(datasetDirectory: String, report: String, now: Date) throws(TrainingError) {
        try requireStatus(in: [.validating], toDo: "finish validation", hint: "")
        self.datasetDirectory = datasetDirectory
        status = .validated
        statusDetail = report
        updatedAt = now
    }

    public mutating func beginTraining(now: Date) throws(TrainingError) {
        try requireStatus(
            in: [.validated, .readyToUse],
            toDo: "train",
            hint: "Upload a dataset with upload_and_validate (or validate_model) and wait for VALIDATED first."
        )
        guard datasetDirectory != nil else {
            throw .failedPrecondition("Model '\(id)' has no validated dataset. Upload one with upload_and_validate first.")
        }
        status = .training
        statusDetail = "Training queued."
        updatedAt = now
    }

    public mutating func finishTraining(artifactPath: String, report: String, now: Date) throws(TrainingError) {
        try requireStatus(in: [.training], toDo: "finish training", hint: "")
        self.artifactPath = artifactPath
        status = .readyToUse
        statusDetail = report
        updatedAt = now
    }

    /// A job failed; `reason` is what the consumer's tools show.
    public mutating func fail(reason: String, now: Date) throws(TrainingError) {
        try requireStatus(in: [.validating, .training], toDo: "record a failure", hint: "")
        status = .errored
        statusDetail = reason
        updatedAt = now
    }

    /// Progress of the running job, shown as the status detail.
    public mutating func report(progress: String, now: Date) throws(TrainingError) {
        try requireStatus(in: [.validating, .training], toDo: "report progress", hint: "")
        statusDetail = progress
        updatedAt = now
    }

    /// Deletion is always allowed and idempotent.
    public mutating func markDeleted(now: Date) {
        guard status != .deleted else { return }
        status = .deleted
        statusDetail = "Deleted."
        updatedAt = now
    }

    private func requireStatus(in allowed: Set<ModelStatus>, toDo action: String, hint: String) throws(TrainingError) {
        guard allowed.contains(status) else {
            let tail = hint.isEmpty ? "" : " \(hint)"
            throw .failedPrecondition("Cannot \(action): model '\(id)' is \(status.rawValue).\(tail)")
        }
    }
}
