import Foundation
import Logging
public import TrainingCore
public import TrainingDatasets
import TrainingJobs

extension TrainingWorkflow {
    /// Streams an `upload_and_validate` upload to disk, checking every chunk before writing it, then
    /// swaps it in as the model's dataset and queues validation. The model's previous dataset and
    /// status stay untouched unless the whole upload succeeds; a failed or abandoned upload leaves
    /// no file behind.
    ///
    /// A stream that sends nothing for ``ServerLimits/uploadIdleTimeout`` is ended with
    /// DEADLINE_EXCEEDED (its partial file removed), so an idle consumer cannot hold disk space and
    /// a job slot forever. The silence is measured on the workflow's `sleeper`.
    public func upload<Chunks: AsyncSequence & Sendable>(_ chunks: Chunks) async throws -> ModelStatus
    where Chunks.Element == UploadChunk {
        do {
            let status = try await watched(chunks, clock: sleeper)
            WorkflowMetrics.uploadStream(accepted: true)
            return status
        } catch {
            // Every way an upload is refused counts: before its bytes (unknown model, busy, caps),
            // while they arrive, or when it went silent. A consumer hanging up is not a refusal.
            if !(error is CancellationError) { WorkflowMetrics.uploadStream(accepted: false) }
            throw error
        }
    }

    /// `receive` raced against the idle watchdog on `clock`.
    private func watched<Chunks: AsyncSequence & Sendable, C: Clock<Duration>>(_ chunks: Chunks, clock: C) async throws -> ModelStatus
    where Chunks.Element == UploadChunk {
        let activity = IdleWatchdog(timeout: limits.uploadIdleTimeout, clock: clock)
        return try await withThrowingTaskGroup(of: ModelStatus?.self) { group in
            group.addTask { try await self.receive(chunks, activity: activity) }
            group.addTask {
                try await activity.expire()
                throw TrainingError(
                    code: .deadlineExceeded,
                    message: "The upload sent nothing for \(activity.timeoutDescription) and was ended. Send the whole dataset in one stream without pausing."
                )
            }
            defer { group.cancelAll() }
            while let result = try await group.next() {
                if let status = result { return status }
            }
            throw CancellationError()
        }
    }

    private func receive<Chunks: AsyncSequence & Sendable, C>(_ chunks: Chunks, activity: IdleWatchdog<C>) async throws -> ModelStatus
    where Chunks.Element == UploadChunk {
        var iterator = chunks.makeAsyncIterator()
        guard let first = try await iterator.next() else {
            throw TrainingError.invalidArgument("The upload stream was empty. Send the dataset file in one or more messages.")
        }
        let (model, binding) = try await liveModel(first.modelID, toDo: "upload a dataset to")
        guard !model.status.isBusy else {
            throw TrainingError.failedPrecondition(
                "Model '\(model.id)' is \(model.status.rawValue); wait until it is done (poll get_model_status), then upload again."
            )
        }
        // Refused while the stream is still flowing, so the consumer sees it (an error at the end of
        // the stream is dropped by the daemon).
        try await checkJobCapacity()
        try await refuseEarly(first, model: model, options: binding.method.options)
        let started = ContinuousClock.now
        var rules = try UploadStreamChecks(
            first: first, allowedTypes: binding.method.options.datasetTypes, maxBytes: binding.method.options.datasetMaxBytes,
            maxBatchBytes: limits.maxRequestMessageBytes
        )
        let writer = try DatasetFileWriter(files: files, modelID: model.id, expectedBytes: rules.fileSize)
        let dataset: DatasetReference
        do {
            var chunk: UploadChunk? = first
            while let current = chunk {
                if try rules.accept(current) == .store { try writer.write(current.data) }
                activity.touch()
                chunk = try await iterator.next()
            }
            try rules.finish()
            dataset = try writer.commit(originalName: rules.fileName)
        } catch {
            writer.discard()
            WorkflowMetrics.uploadBytes(rules.receivedBytes)
            throw error
        }
        WorkflowMetrics.uploadBytes(rules.receivedBytes)
        WorkflowMetrics.uploadAccepted(bytes: dataset.byteCount, since: started)
        do {
            // Read again: the model may have moved on while the bytes were arriving.
            var current = try await status(of: model.id)
            let previous = current.dataset
            try current.beginValidation(dataset: dataset, link: nil, now: clock.now())
            try await jobs.commit(current, queueing: .validate)
            files.removeIfPresent(relativePath: previous?.path)
            logger.info(
                "dataset uploaded",
                metadata: ["model_id": "\(current.id)", "bytes": "\(dataset.byteCount)", "sha256": "\(dataset.sha256)"]
            )
            return current.status
        } catch {
            files.removeIfPresent(relativePath: dataset.path)
            throw error
        }
    }

    /// Problems with the dataset itself that the first message already shows (a file type the
    /// method does not take, a declared size over its limit, bytes that start no zip, tar or
    /// tar.gz) end the stream at once, before the rest is sent. The model ends ERRORED with the
    /// same reason, as validating the whole file would have left it: behind the daemon the
    /// consumer's upload call shows no reason, but the model's next calls do.
    private func refuseEarly(_ first: UploadChunk, model: ModelRecord, options: TrainingOptions) async throws {
        guard let refusal = Self.datasetProblem(in: first, options: options) else { return }
        var current = model
        do {
            try current.refuseDataset(reason: refusal.message, now: clock.now())
            _ = try await jobs.commit(current, queueing: nil)
            logger.info("upload refused for its content", metadata: ["model_id": "\(model.id)", "reason": "\(refusal.message)"])
        } catch let error as TrainingError where error.code == .aborted {
            // The model changed meanwhile (another call won): refuse the stream, leave the model.
        }
        throw refusal
    }

    /// The content problem the stream's first message shows, if any.
    static func datasetProblem(in first: UploadChunk, options: TrainingOptions) -> TrainingError? {
        // A malformed request (no name, a path, no size) is the client's mistake, not the dataset's:
        // the stream checks refuse it without touching the model.
        guard (try? UploadStreamChecks.checkFileNameForm(first.fileName)) != nil, first.fileSize > 0 else { return nil }
        do {
            try UploadStreamChecks.checkDatasetType(of: first.fileName, allowedTypes: options.datasetTypes)
            try UploadStreamChecks.checkDeclaredSize(first.fileSize, maxBytes: options.datasetMaxBytes)
        } catch {
            return error
        }
        if !first.data.isEmpty, ArchiveFormat.isRuledOut(byFirstBytes: first.data, fileSize: first.fileSize) {
            return .invalidArgument(
                "The dataset \(first.fileName.quotedForMessage()) is not a zip, tar or tar.gz archive (its first bytes show it). Upload the dataset as one of these archives."
            )
        }
        return nil
    }
}
