import Foundation
import Testing
import TrainingCore
import TrainingEngine
import TrainingTesting

/// Who may use a model at inference, open and restricted, on models trained by the in-memory
/// engine: the caller is a plain ``InferenceCaller`` (the adapter reads it from the request).
@Suite("Model access at inference")
struct AccessTests {
    static let alice = "0xAbCdEf0123456789aBcDeF0123456789AbCdEf01"
    static let bob = "0x1111111111111111111111111111111111111111"
    static let carol = "0x2222222222222222222222222222222222222222"
    static let unknownID = "0123456789abcdef0123456789abcdef"
    static let defaultModel = TextLabelTrainer.Model(wordCounts: ["default": [:]])

    /// The engine, a trained text dataset and an endpoint under `access`.
    final class Setup {
        let engine: InMemoryEngine
        let archive: URL
        let endpoint: InferenceEndpoint<TextLabelTrainer>
        private let scratch: ScratchDirectory

        init(access: ModelAccessPolicy) throws {
            scratch = try ScratchDirectory()
            archive = scratch.file("texts.zip")
            try ArchiveBuilder.textDataset(at: archive)
            engine = try InMemoryEngine(trainer: TextLabelTrainer())
            endpoint = engine.endpoint(trainer: TextLabelTrainer(), defaultModel: AccessTests.defaultModel, access: access)
        }

        func label(_ text: String, model: String, from address: String?) async throws -> String {
            try await endpoint.model(for: model, caller: InferenceCaller(address: address)).label(for: text)
        }

        func refusal(model: String, from address: String?) async -> TrainingError? {
            await #expect(throws: TrainingError.self) { try await label("rain", model: model, from: address) }
        }
    }

    @Test("restricted: a private model answers only the addresses in its list, in any letter case; others get an unknown id's NOT_FOUND")
    func restrictedPrivate() async throws {
        let setup = try Setup(access: .restricted)
        defer { setup.engine.stop() }
        let id = try await setup.engine.trainedModel(setup.archive, addresses: [Self.alice, Self.carol])
        for address in [Self.alice, Self.alice.lowercased(), Self.alice.uppercased().replacing("0X", with: "0x"), Self.carol] {
            #expect(try await setup.label("rain and snow", model: id, from: address) == "weather")
        }
        for address in [Self.bob, nil] {
            let hidden = await setup.refusal(model: id, from: address)
            let unknown = await setup.refusal(model: Self.unknownID, from: address)
            #expect(hidden?.code == .notFound && unknown?.code == .notFound)
            #expect(hidden?.message == unknown?.message.replacing(Self.unknownID, with: id))
        }
    }

    @Test("restricted: nothing about a hidden model leaks — not its status, not its deletion")
    func restrictedLeaksNothing() async throws {
        let setup = try Setup(access: .restricted)
        defer { setup.engine.stop() }
        let untrained = try await setup.engine.createModel(addresses: [Self.alice])
        // Its owner learns it is not trained yet; anyone else only that it is not found.
        #expect(await setup.refusal(model: untrained, from: Self.alice)?.code == .failedPrecondition)
        let stranger = await setup.refusal(model: untrained, from: Self.bob)
        #expect(stranger?.code == .notFound && stranger?.message.contains("CREATED") == false)
        _ = try await setup.engine.workflow.delete(untrained)
        #expect(await setup.refusal(model: untrained, from: Self.alice)?.code == .notFound)
    }

    @Test("restricted: public models and the default model answer everyone")
    func restrictedPublic() async throws {
        let setup = try Setup(access: .restricted)
        defer { setup.engine.stop() }
        let id = try await setup.engine.trainedModel(setup.archive, addresses: [Self.alice], isPublic: true)
        for address in [Self.alice, Self.bob, nil] {
            #expect(try await setup.label("my cat", model: id, from: address) == "animals")
            #expect(try await setup.label("my cat", model: "default", from: address) == "default")
            #expect(try await setup.label("my cat", model: "", from: address) == "default")
        }
    }

    @Test("open (the default): any caller may use any model id; an unknown one is NOT_FOUND")
    func open() async throws {
        let setup = try Setup(access: .open)
        defer { setup.engine.stop() }
        let id = try await setup.engine.trainedModel(setup.archive, addresses: [Self.alice])
        for address in [Self.alice, Self.bob, nil] {
            #expect(try await setup.label("sun and wind", model: id, from: address) == "weather")
        }
        #expect(await setup.refusal(model: Self.unknownID, from: Self.bob)?.code == .notFound)
    }

    @Test("a trained model answers with what it learned; after delete it is NOT_FOUND")
    func trainedThenDeleted() async throws {
        let setup = try Setup(access: .open)
        defer { setup.engine.stop() }
        let id = try await setup.engine.trainedModel(setup.archive)
        #expect(try await setup.label("storm clouds and rain", model: id, from: nil) == "weather")
        #expect(try await setup.label("my dog and cat", model: id, from: nil) == "animals")
        _ = try await setup.engine.workflow.delete(id)
        #expect(await setup.refusal(model: id, from: nil)?.code == .notFound)
    }
}
