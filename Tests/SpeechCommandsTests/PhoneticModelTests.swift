import Foundation
import Testing

@testable import SpeechCommands

@Suite("Phonetic model")
struct PhoneticModelTests {
    @Test("The shipped acoustic model loads and gives one posterior distribution over 42 phones per feature frame")
    func posteriorsLineUpWithFeatures() throws {
        let model = try #require(PhoneticModel.shipped, "the en-us-phonetic.bin resource did not load")
        let extractor = FeatureExtractor(options: .defaults)
        let speech = extractor.speech(ofPrepared: extractor.prepared(try ShippedDataset.clip(word: "left", speaker: "en-us-m2")))
        let posteriors = model.posteriors(ofSpeech: speech, frameLength: 400, hopLength: 160)
        #expect(posteriors.dimension == PhoneticModel.phoneCount)
        #expect(posteriors.frameCount == extractor.features(ofSpeech: speech).frameCount)
        for frame in 0..<posteriors.frameCount {
            let row = posteriors.values[frame * 42..<(frame + 1) * 42]
            #expect(abs(row.reduce(0, +) - 1) < 1e-4)
            #expect(row.allSatisfy { $0 >= model.floor / 2 })
        }
    }

    @Test("Phone posteriors tell words apart across voices: a clip's closest clip of six other voices is mostly the same word")
    func phoneticDistanceSeparatesWords() throws {
        let model = try #require(PhoneticModel.shipped)
        let extractor = FeatureExtractor(options: .defaults)
        func posteriors(_ word: String, _ speaker: String) throws -> FeatureSequence {
            let speech = extractor.speech(ofPrepared: extractor.prepared(try ShippedDataset.clip(word: word, speaker: speaker)))
            return model.posteriors(ofSpeech: speech, frameLength: 400, hopLength: 160)
        }
        let words = ["yes", "no", "up", "down", "left", "right", "on", "off", "stop", "go"]
        let references = ["en-gb-m1", "en-gb-x-gbclan-f4", "en-gb-x-gbcwmd-paul", "en-gb-x-rp-max", "en-us-f2", "en-us-nyc-m8"]
        let templates = try words.flatMap { word in try references.map { (word, try posteriors(word, $0)) } }
        var right = 0
        for speaker in ["en-029-m7", "en-gb-scotland-f3"] {
            for word in words {
                let query = try posteriors(word, speaker)
                let closest = templates.min {
                    DynamicTimeWarping.distance(query, $0.1, bandFraction: 0.2, metric: TemplateMatcher.phoneticMetric)
                        < DynamicTimeWarping.distance(query, $1.1, bandFraction: 0.2, metric: TemplateMatcher.phoneticMetric)
                }
                if closest?.0 == word { right += 1 }
            }
        }
        // Measured: 17 of 20 (chance: 2), with nothing fitted to these voices or words.
        #expect(right >= 15)
    }
}
