import Foundation
import SpeechCommands

/// Writes every clip's word scores as CSV lines, for studying refusal rules outside the program:
/// `training,seed,group,word,name,rate,threshold,hasSpeech,words,acoustic,phonetic,phoneticFloor` (the three lists `;`-separated).
enum ScoreDump {
    static func lines(model: SpeechCommandModel, training: String, seed: UInt64, group: String, clips: [LabelledClip]) -> [String] {
        clips.map { clip in
            let scores = model.componentScores(clip.audio)
            let list = { (values: [Float]) in values.map { String($0) }.joined(separator: ";") }
            return [
                training, String(seed), group, clip.word, clip.name, String(clip.audio.sampleRate), String(scores.threshold),
                String(scores.hasSpeech), model.words.joined(separator: ";"), list(scores.acoustic), scores.phonetic.map(list) ?? "",
                String(scores.phoneticFloor), scores.posteriors.map { list($0.values) } ?? "",
            ].joined(separator: ",")
        }
    }
}
