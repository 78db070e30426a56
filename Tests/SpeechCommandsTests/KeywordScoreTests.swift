import Foundation
import Testing

@testable import SpeechCommands

/// The keyword score: the words' dictionary pronunciations aligned with a clip's phone posteriors.
@Suite("Keyword score")
struct KeywordScoreTests {
    @Test("The commands are in the shipped dictionary, case aside, with every listed pronunciation; a word outside it leaves the set without any")
    func lookUp() throws {
        let words = ["down", "go", "left", "no", "off", "On", "right", "stop", "up", "yes"]
        let found = try #require(Pronunciations.lookUp(words), "the cmudict-en-us.dict resource did not load")
        let spelled = found.byWord.map { $0.map { $0.map { PhoneticModel.phoneNames[Int($0)] }.joined(separator: " ") } }
        #expect(spelled[0] == ["D AW N"])
        #expect(spelled[5] == ["AA N", "AO N"])
        #expect(spelled[8] == ["AH P"])
        #expect(Pronunciations.lookUp(["yes", "zorblaxian"]) == nil)
        #expect(Pronunciations.lookUp(["yes", "no"], in: "yes Y EH S\nno N OW\nno(2) N OW Q\n")?.byWord == [[[39, 12, 30]], [[24, 26]]])
    }

    @Test("Unknown words fit the pronunciation of the word the templates pick worse than known words by held-out voices fit theirs")
    func unknownWordsFitWorse() async throws {
        let model = try await ShippedDataset.modelWithoutHeldOutVoices()
        let pronunciations = try #require(model.pronunciations, "the default model uses the keyword score")
        #expect(model.calibration.keywordWeight > 0)
        func gap(_ audio: PCMAudio) -> Float {
            let prepared = model.extractor.prepared(audio)
            let (scores, keywords) = SpeechCommandModel.scores(
                forPrepared: prepared, extractor: model.extractor, matcher: model.matcher, pronunciations: pronunciations
            )
            let keyword = keywords ?? []
            let closest = scores.indices.min { scores[$0] < scores[$1] } ?? 0
            return keyword[closest] - (keyword.min() ?? 0)
        }
        let known = try ShippedDataset.clips().filter { ShippedDataset.heldOutVoices.contains($0.voice) }.map { gap($0.audio) }
        let unknown = try FileManager.default.contentsOfDirectory(at: RefusalTests.unknownWords, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "wav" }
            .map { gap(try WAVDecoder.decode(try Data(contentsOf: $0))) }
        func median(_ values: [Float]) -> Float { values.sorted()[values.count / 2] }
        // Measured: median gap 0.09 for the 60 known clips (28 of them 0: their word fits best),
        // 0.50 for the 20 unknown words.
        #expect(median(unknown) > 2 * median(known), "known \(median(known)), unknown \(median(unknown))")
    }

    @Test("Trained on words outside the dictionary, a model refuses by the relative score alone, and reloads so")
    func wordsOutsideTheDictionary() async throws {
        let renamed = ["yes": "yesz", "no": "noz", "stop": "stopz"]
        let clips = try ShippedDataset.clips().filter { renamed[$0.word] != nil && !ShippedDataset.heldOutVoices.contains($0.voice) }
            .map { ShippedDataset.Clip(word: renamed[$0.word]!, voice: $0.voice, name: $0.name, audio: $0.audio) }
        var configuration = SpeechCommandTrainer.Configuration.defaults
        configuration.retrainsOnAllClips = false
        let model = try await SpeechCommandTrainer(configuration: configuration).train(on: ShippedDataset.dataset(of: clips))
        #expect(model.pronunciations == nil)
        #expect(model.calibration.keywordWeight == 0)
        #expect(model.calibration.refusalThreshold == SpeechCommandTrainer().relativeRefusalThreshold)
        let reloaded = try SpeechCommandModel(serialized: try model.serialized())
        #expect(reloaded.pronunciations == nil)
        #expect(reloaded.calibration == model.calibration)
        let withKeywords = try await ShippedDataset.modelWithoutHeldOutVoices()
        let again = try SpeechCommandModel(serialized: try withKeywords.serialized())
        #expect(again.pronunciations == withKeywords.pronunciations)
        #expect(again.calibration == withKeywords.calibration)
    }
}
