import Foundation
import Testing
import TrainingCore

@Suite("Model lifecycle moves")
struct ModelTransitionTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)
    let dataset = DatasetReference(path: "models/m/datasets/d.zip", originalName: "d.zip", byteCount: 10, sha256: "ab")

    func model() -> ModelRecord {
        ModelRecord(id: "m", method: MethodName(service: "s.S", method: "m"), now: now)
    }

    @Test("the happy path: CREATED → VALIDATING → VALIDATED → TRAINING → READY_TO_USE, retraining allowed")
    func happyPath() throws {
        var record = model()
        try record.beginValidation(dataset: dataset, link: nil, now: now)
        #expect(record.status == .validating && record.dataset == dataset)
        try record.finishValidation(dataset: dataset, datasetDirectory: "models/m/extracted/x", report: "ok", now: now)
        #expect(record.status == .validated && record.datasetDirectory == "models/m/extracted/x" && record.statusDetail == "ok")
        try record.beginTraining(now: now)
        try record.finishTraining(artifactPath: "models/m/artifacts/a.model", report: "trained", now: now)
        #expect(record.status == .readyToUse && record.artifactPath == "models/m/artifacts/a.model")
        try record.beginTraining(now: now)
        #expect(record.status == .training)
    }

    @Test("illegal moves throw FAILED_PRECONDITION naming the status and change nothing")
    func illegalMoves() throws {
        let created = model()
        var record = created
        #expect(throws: TrainingError.self) { try record.beginTraining(now: now) }
        #expect(throws: TrainingError.self) { try record.finishTraining(artifactPath: "a", report: "", now: now) }
        #expect(throws: TrainingError.self) { try record.fail(reason: "x", now: now) }
        #expect(throws: TrainingError.self) { try record.report(progress: "x", now: now) }
        #expect(record == created)

        try record.beginValidation(dataset: dataset, link: nil, now: now)
        let error = #expect(throws: TrainingError.self) { try record.beginValidation(dataset: nil, link: "l", now: now) }
        #expect(error?.code == .failedPrecondition)
        #expect(error?.message.contains("VALIDATING") == true)
    }

    @Test("a failure ends a running job's model ERRORED with the reason; deletion is always allowed and idempotent")
    func failureAndDeletion() throws {
        var record = model()
        try record.beginValidation(dataset: dataset, link: nil, now: now)
        try record.fail(reason: "bad clips", now: now)
        #expect(record.status == .errored && record.statusDetail == "bad clips")
        record.markDeleted(now: now)
        let deleted = record
        record.markDeleted(now: now + 5)
        #expect(record == deleted && record.status == .deleted)
    }
}
