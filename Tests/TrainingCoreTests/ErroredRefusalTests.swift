import Foundation
import Testing
import TrainingCore

@Suite("The refusal an ERRORED model gives")
struct ErroredRefusalTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    func errored(reason: String) throws -> ModelRecord {
        var record = ModelRecord(id: "m", method: MethodName(service: "s.S", method: "m"), now: now)
        try record.refuseDataset(reason: reason, now: now)
        return record
    }

    @Test("FAILED_PRECONDITION naming the action, the reason and the way back, with the price of an upload when known")
    func message() throws {
        let record = try errored(reason: "The dataset needs at least two label folders")
        let refusal = try #require(record.erroredRefusal(toDo: "price validation", uploadPrice: 7))
        #expect(refusal.code == .failedPrecondition)
        #expect(
            refusal.message.hasPrefix(
                "Cannot price validation: Model 'm' is ERRORED: The dataset needs at least two label folders. To go on, upload a corrected dataset to this model"
            ))
        #expect(refusal.message.contains("an upload costs 7 cogs"))
        #expect(refusal.message.contains("create a new model and upload to it"))
        #expect(try #require(record.erroredRefusal(toDo: "train", uploadPrice: 1)).message.contains("an upload costs 1 cog)"))
        #expect(try #require(record.erroredRefusal(toDo: "train")).message.contains("costs") == false)
    }

    @Test("the reason is bounded, so the whole message stays short whatever was stored")
    func bounded() throws {
        let record = try errored(reason: String(repeating: "clip.wav is too long; ", count: 400))
        let message = try #require(record.erroredRefusal(toDo: "validate", uploadPrice: UInt64.max)).message
        #expect(message.utf8.count <= ModelRecord.maxErroredReasonBytes + 500, "\(message.utf8.count) bytes")
    }

    @Test("only an ERRORED model is refused this way")
    func otherStatuses() throws {
        let dataset = DatasetReference(path: "models/m/datasets/d.zip", originalName: "d.zip", byteCount: 10, sha256: "ab")
        var record = ModelRecord(id: "m", method: MethodName(service: "s.S", method: "m"), now: now)
        #expect(record.erroredRefusal(toDo: "train", uploadPrice: 1) == nil)
        try record.beginValidation(dataset: dataset, link: nil, now: now)
        try record.finishValidation(dataset: dataset, datasetDirectory: "models/m/extracted/x", report: "ok", now: now)
        #expect(record.erroredRefusal(toDo: "train", uploadPrice: 1) == nil)
        try record.beginTraining(now: now)
        try record.finishTraining(artifactPath: "models/m/artifacts/a.model", report: "trained", now: now)
        #expect(record.erroredRefusal(toDo: "train", uploadPrice: 1) == nil)
    }
}
