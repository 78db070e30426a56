import SpeechCommands

/// One model's answers on a development or test set.
struct RunResult: Sendable {
    /// The training set's folder name and the mixture seed of this model.
    var training: String
    var seed: UInt64
    var trainingSeconds: Double
    /// Recognition time per one-second clip (p50, p90), when measured for this model.
    var milliseconds: (p50: Double, p90: Double)?
    var known: [Answer]
    var unknown: [Answer]

    struct Answer: Sendable {
        var clip: LabelledClip
        var recognition: Recognition
        /// A known word is right only when accepted as itself; an unknown word only when refused.
        var isRight: Bool
    }

    init(training: String, seed: UInt64, trainingSeconds: Double, model: SpeechCommandModel, known: [LabelledClip], unknown: [LabelledClip]) {
        (self.training, self.seed, self.trainingSeconds) = (training, seed, trainingSeconds)
        self.known = known.map {
            let recognition = model.recognize($0.audio)
            return Answer(clip: $0, recognition: recognition, isRight: recognition.acceptedWord == $0.word)
        }
        self.unknown = unknown.map {
            let recognition = model.recognize($0.audio)
            return Answer(clip: $0, recognition: recognition, isRight: recognition.acceptedWord == nil)
        }
    }

    /// The share of `answers` that are right, in percent (nil for none).
    static func percent(_ answers: [Answer]) -> Double? {
        answers.isEmpty ? nil : Double(answers.count { $0.isRight }) * 100 / Double(answers.count)
    }

    /// Known clips whose closest word is right, refused or not, in percent: what refusal costs.
    var closestPercent: Double? {
        known.isEmpty ? nil : Double(known.count { $0.recognition.word == $0.clip.word }) * 100 / Double(known.count)
    }

    /// `word/name@rate->answer` for every wrong answer (the closest word in parentheses when refused).
    var mistakes: [String] {
        (known + unknown).filter { !$0.isRight }.map {
            "\($0.clip.word)/\($0.clip.name)@\($0.clip.audio.sampleRate)->"
                + ($0.recognition.acceptedWord ?? "(\($0.recognition.word))")
        }
    }
}
