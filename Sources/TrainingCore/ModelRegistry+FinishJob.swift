extension ModelRegistry {
    /// Ends `job` in `state`, saving its model as `change` leaves it. The model is read afresh and
    /// the save tried again while a concurrent write (a heartbeat's progress) wins the
    /// compare-and-set, as long as `worker` still holds the job: a finished job never loses its
    /// result to a progress line, nor runs again. Nil, with nothing saved, when the model is gone,
    /// `change` returns nil (nothing left to finish), or the job is no longer `worker`'s.
    public func finishJob<Result>(
        _ job: TrainingJob, worker: String, state: TrainingJob.State, changing change: (inout ModelRecord) throws -> Result?
    ) async throws -> Result? {
        while var model = try await model(id: job.modelID) {
            guard let result = try change(&model) else { return nil }
            if try await finishJob(jobID: job.id, worker: worker, state: state, model: model) { return result }
            guard let stored = try await self.job(id: job.id), stored.isHeld(by: worker) else { return nil }
        }
        return nil
    }
}
