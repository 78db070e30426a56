import Foundation
import SpeechCommands
import Testing

@Suite("Model serialization")
struct SerializationTests {
    @Test("A reloaded model recognises every held-out clip identically, confidence included")
    func roundTrip() async throws {
        let model = try await ShippedDataset.modelWithoutHeldOutVoices()
        let bytes = try model.serialized()
        let reloaded = try SpeechCommandModel(serialized: bytes)
        #expect(reloaded.words == model.words)
        try expectSameRecognition(model, reloaded)
        // Stable: the same model always gives the same bytes, also after a round trip.
        #expect(try reloaded.serialized() == bytes)
        #expect(try model.serialized() == bytes)
    }

    @Test(
        "A model without the posteriorgram, or without the phonetic score, also reloads and recognises identically",
        arguments: [Part.posteriorgram, .phoneticScore]
    )
    func roundTripWithout(_ part: Part) async throws {
        let training = try ShippedDataset.clips().filter { !ShippedDataset.heldOutVoices.contains($0.voice) }
        var configuration = SpeechCommandTrainer.Configuration.defaults
        switch part {
        case .posteriorgram: configuration.posteriorgramComponents = 0
        case .phoneticScore: configuration.phoneticWeight = 0
        }
        configuration.retrainsOnAllClips = false
        let model = try await SpeechCommandTrainer(configuration: configuration).train(on: ShippedDataset.dataset(of: training))
        let bytes = try model.serialized()
        let reloaded = try SpeechCommandModel(serialized: bytes)
        try expectSameRecognition(model, reloaded)
        #expect(try reloaded.serialized() == bytes)
        if part == .phoneticScore {
            let withPhonetics = try await ShippedDataset.modelWithoutHeldOutVoices().serialized()
            #expect(bytes.count < withPhonetics.count / 2, "phone posteriors are stored only when used")
        }
    }

    enum Part: Sendable, CustomTestStringConvertible {
        case posteriorgram, phoneticScore
        var testDescription: String { self == .posteriorgram ? "no posteriorgram" : "no phonetic score" }
    }

    /// Both models give every held-out clip the same word and the same confidence.
    private func expectSameRecognition(_ model: SpeechCommandModel, _ reloaded: SpeechCommandModel) throws {
        for clip in try ShippedDataset.clips() where ShippedDataset.heldOutVoices.contains(clip.voice) {
            let original = model.recognize(clip.audio)
            let again = reloaded.recognize(clip.audio)
            #expect(again.word == original.word)
            #expect(again.confidence == original.confidence)
        }
    }

    @Test("Damaged, truncated, foreign, older and future-version bytes are rejected with a clear error")
    func corruptData() async throws {
        let bytes = try await ShippedDataset.modelWithoutHeldOutVoices().serialized()
        var flipped = bytes
        flipped[flipped.startIndex + bytes.count / 2] ^= 0x40
        var futureVersion = bytes
        futureVersion[futureVersion.startIndex + 4] = 99
        var version2 = bytes  // before the posteriorgram
        version2[version2.startIndex + 4] = 2
        var version3 = bytes  // before the phonetic score
        version3[version3.startIndex + 4] = 3
        var version4 = bytes  // before the refusal rule
        version4[version4.startIndex + 4] = 4
        let cases: [(Data, SpeechCommandModelError.Code, String)] = [
            (flipped, .corrupt, "damaged"),
            (bytes.prefix(bytes.count - 100), .corrupt, "damaged"),
            (bytes.prefix(8), .corrupt, "damaged"),
            (Data("{\"words\": [\"yes\", \"no\"]}".utf8), .notAModel, "not a speech-commands model"),
            (Data(), .notAModel, "not a speech-commands model"),
            (futureVersion, .unsupportedVersion, "version 99"),
            (version2, .unsupportedVersion, "retrain the model"),
            (version3, .unsupportedVersion, "retrain the model"),
            (version4, .unsupportedVersion, "retrain the model"),
        ]
        for (data, code, phrase) in cases {
            #expect {
                try SpeechCommandModel(serialized: data)
            } throws: { error in
                guard let error = error as? SpeechCommandModelError else { return false }
                return error.code == code && error.description.contains(phrase)
            }
        }
    }
}
