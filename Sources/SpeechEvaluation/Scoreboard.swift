import Foundation
import SpeechCommands

/// How a model did on a group of labelled clips.
struct Scoreboard {
    var total = 0
    /// The closest word was the right one (whether or not the clip was refused).
    var closest = 0
    /// Accepted as the right word.
    var accepted = 0
    /// Refused as unknown or silence.
    var refused = 0
    var mistakes: [String] = []

    init(model: SpeechCommandModel, clips: [LabelledClip]) {
        for clip in clips {
            let recognition = model.recognize(clip.audio)
            total += 1
            if recognition.word == clip.word { closest += 1 }
            if recognition.acceptedWord == clip.word { accepted += 1 }
            if recognition.refusal != nil { refused += 1 }
            if recognition.acceptedWord != clip.word {
                mistakes.append("\(clip.word)/\(clip.name)@\(clip.audio.sampleRate)->\(recognition.acceptedWord ?? "(\(recognition.word))")")
            }
        }
    }

    var accuracy: Double { share(closest) }

    private func share(_ count: Int) -> Double { total == 0 ? 0 : Double(count) / Double(total) }

    /// One line of figures; `verbose` adds the clips that were not accepted as their word
    /// (`word/name@rate->answer`, the closest word in parentheses when refused).
    func line(_ name: String, verbose: Bool = false) -> String {
        String(
            format: "%@: closest word right %d/%d (%.1f%%); accepted and right %d/%d (%.1f%%), refused %d",
            name, closest, total, share(closest) * 100, accepted, total, share(accepted) * 100, refused
        ) + (verbose ? "\n  " + mistakes.joined(separator: " ") : "")
    }

    func refusalLine(_ name: String) -> String {
        String(format: "%@: refused %d/%d (%.1f%%)", name, refused, total, share(refused) * 100)
    }
}
