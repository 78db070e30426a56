import Foundation
import Testing
import TrainingCore
import TrainingDatasets
import TrainingEngine
import TrainingTesting

/// An ERRORED model refuses every call but the upload, with its reason (behind the daemon those
/// errors are where a consumer reads it); the upload brings it back.
@Suite("ERRORED models on in-memory twins")
struct ErroredModelTests {
    /// A model ended ERRORED by an upload whose first bytes start no archive (no job involved).
    static func erroredModel(_ engine: InMemoryEngine, scratch: borrowing ScratchDirectory) async throws -> String {
        let notAnArchive = scratch.url.appending(path: "notes.zip")
        try Data(repeating: UInt8(ascii: "x"), count: 4096).write(to: notAnArchive)
        let id = try await engine.createModel()
        let refused = await #expect(throws: TrainingError.self) { _ = try await engine.upload(notAnArchive, to: id) }
        #expect(refused?.code == .invalidArgument)
        #expect(try await engine.workflow.status(of: id).status == .errored)
        return id
    }

    @Test(
        "both price calls, validate_model (by link or again) and train_model fail FAILED_PRECONDITION with the reason and change nothing",
        arguments: [
            "validate_model_price", "validate_model_price with a link", "validate_model", "validate_model with a link", "train_model_price", "train_model",
        ]
    )
    func refused(call: String) async throws {
        let engine = try InMemoryEngine(trainer: TextLabelTrainer())
        defer { engine.stop() }
        let scratch = try ScratchDirectory()
        let id = try await Self.erroredModel(engine, scratch: scratch)
        let before = try await engine.workflow.status(of: id)
        let link = "https://example.com/texts.zip"
        let error = await #expect(throws: TrainingError.self) {
            switch call {
            case "validate_model_price": _ = try await engine.workflow.validationPrice(of: id)
            case "validate_model_price with a link": _ = try await engine.workflow.validationPrice(of: id, link: link)
            case "validate_model": _ = try await engine.workflow.validate(id, link: "")
            case "validate_model with a link": _ = try await engine.workflow.validate(id, link: link)
            case "train_model_price": _ = try await engine.workflow.trainingPrice(of: id)
            default: _ = try await engine.workflow.train(id)
            }
        }
        #expect(error?.code == .failedPrecondition)
        let message = error?.message ?? ""
        #expect(message.contains("Model '\(id)' is ERRORED: "), "\(message)")
        #expect(message.contains("is not a zip, tar or tar.gz archive"), "the reason: \(message)")
        #expect(message.contains("upload a corrected dataset to this model"), "what to do: \(message)")
        #expect(message.contains("an upload costs 1 cog"), "the upload's price, as the price call refuses: \(message)")
        #expect(message.contains("create a new model"), "the way for a client that cannot upload without the price: \(message)")
        #expect(try await engine.workflow.status(of: id) == before)
    }

    @Test("the upload stays open on an ERRORED model and brings it back to VALIDATED, then training")
    func uploadIsTheWayBack() async throws {
        let engine = try InMemoryEngine(trainer: TextLabelTrainer())
        defer { engine.stop() }
        let scratch = try ScratchDirectory()
        let id = try await Self.erroredModel(engine, scratch: scratch)
        let good = scratch.url.appending(path: "texts.zip")
        try ArchiveBuilder.textDataset(at: good)
        #expect(try await engine.upload(good, to: id) == .validating)
        let validated = try await engine.wait(id, until: [.validated, .errored])
        #expect(validated.status == .validated, "\(validated.statusDetail ?? "")")
        #expect(try await engine.workflow.validationPrice(of: id) == 1)
        #expect(try await engine.workflow.trainingPrice(of: id) == 1)
        #expect(try await engine.workflow.train(id) == .training)
        #expect(try await engine.wait(id, until: [.readyToUse, .errored]).status == .readyToUse)
    }
}
