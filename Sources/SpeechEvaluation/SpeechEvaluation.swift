import ArgumentParser
import Foundation
import SpeechCommands

/// Prints the recognizer's figures: accuracy on unseen voices of the training engine and on other
/// engines, unknown-word refusal, inference cost and training time at 300 and 5000 clips.
/// `scripts/evaluate-recognizer.sh` synthesizes the test sets and runs it.
@main
struct SpeechEvaluation: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measures the speech-commands recognizer on voices and engines it was not trained on."
    )

    @Option(help: "The shipped dataset (<word>/<accent>-<variant>.wav).")
    var dataset: String

    @Option(help: "Accents of the shipped dataset kept out of training, comma-separated.")
    var holdOut: String

    @Option(help: "Folder of synthesized sets: espeak/, flite/, festival/, unknown/, train300/, train5000/.")
    var testSets: String

    @Flag(help: "List every clip that was not accepted as its word.")
    var verbose = false

    func run() async throws {
        let heldOutAccents = Set(holdOut.split(separator: ",").map(String.init))
        let shipped = try LabelledClip.load(URL(fileURLWithPath: dataset))
        let sets = URL(fileURLWithPath: testSets)
        let training = shipped.filter { !heldOutAccents.contains($0.accent) }
        let groups: [(String, [LabelledClip])] = [
            ("espeak-ng, shipped held-out speakers", shipped.filter { heldOutAccents.contains($0.accent) }),
            ("espeak-ng, new variants", try LabelledClip.load(sets.appendingPathComponent("espeak"))),
            ("flite", try LabelledClip.load(sets.appendingPathComponent("flite"))),
            ("festival", try LabelledClip.load(sets.appendingPathComponent("festival"))),
        ]
        let unknown = try LabelledClip.load(sets.appendingPathComponent("unknown"))
        print(Self.machine())
        let accents = Set(training.map(\.accent)).sorted()
        print("Training set: \(training.count) clips, \(accents.count) espeak-ng voices (\(accents.joined(separator: ", ")))")
        let (model, seconds) = try await Stopwatch.time { try await SpeechCommandTrainer().train(on: .init(training)) }
        print(String(format: "Training time: %.2f s", seconds))
        print("Training report:\n" + model.report.description.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n"))
        print("")
        let unseenEngine = Scoreboard(model: model, clips: groups[0].1 + groups[1].1)
        let otherEngines = Scoreboard(model: model, clips: groups[2].1 + groups[3].1)
        for (name, clips) in groups { print(Scoreboard(model: model, clips: clips).line(name, verbose: verbose)) }
        print(unseenEngine.line("unseen voices of the training engine"))
        print(otherEngines.line("other engines (flite + festival)"))
        print(Scoreboard(model: model, clips: unknown).refusalLine("unknown words (all engines)"))
        print("")
        let (defaultModel, defaultSeconds) = try await Stopwatch.time {
            try await SpeechCommandTrainer().train(on: .init(shipped))
        }
        print(
            String(
                format: "Default model (all %d shipped clips, as stt-service trains it at first start): training %.2f s, "
                    + "%d KiB serialized; its held-out accuracy %.1f%% on %d clips",
                shipped.count, defaultSeconds, try defaultModel.serialized().count / 1_024,
                defaultModel.report.accuracy * 100, defaultModel.report.heldOutClips.count
            )
        )
        print("")
        let timingClips = groups.flatMap(\.1).map(\.oneSecond)
        for size in [300, 5000] {
            let scale = try LabelledClip.load(sets.appendingPathComponent("train\(size)"))
            guard !scale.isEmpty else { continue }
            try await printScale(name: "train\(size)", clips: scale, timing: timingClips, groups: groups)
        }
        print(Self.machine())
    }

    /// Cores and load: timings on a shared machine mean little without them.
    private static func machine() -> String {
        let load = (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8))?.split(separator: " ").prefix(3)
        return "Machine: \(ProcessInfo.processInfo.activeProcessorCount) cores, load average "
            + (load?.joined(separator: " ") ?? "unknown") + " (other work shares the cores)"
    }

    /// Training time, inference cost per one-second clip and accuracy of a model trained on `clips`.
    private func printScale(
        name: String,
        clips: [LabelledClip],
        timing: [PCMAudio],
        groups: [(String, [LabelledClip])]
    ) async throws {
        let (model, seconds) = try await Stopwatch.time { try await SpeechCommandTrainer().train(on: .init(clips)) }
        var milliseconds: [Double] = []
        for audio in timing {
            let (_, elapsed) = await Stopwatch.time { model.recognize(audio) }
            milliseconds.append(elapsed * 1_000)
        }
        let unseen = Scoreboard(model: model, clips: groups[0].1 + groups[1].1)
        let other = Scoreboard(model: model, clips: groups[2].1 + groups[3].1)
        print(
            String(
                format: "%@: %d clips, training %.1f s; inference per 1 s clip p50 %.2f ms, p90 %.2f ms (%d clips); "
                    + "closest word right: unseen espeak-ng %.1f%%, other engines %.1f%%; %d KiB serialized",
                name, clips.count, seconds, Stopwatch.percentile(milliseconds, 0.5),
                Stopwatch.percentile(milliseconds, 0.9), timing.count, unseen.accuracy * 100, other.accuracy * 100,
                try model.serialized().count / 1_024
            )
        )
    }
}
