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

    @Flag(help: "Only the accuracy figures: skip the default model and the scale sets.")
    var accuracyOnly = false

    @Option(
        name: .customLong("set"),
        help: "Vary a trainer setting for an experiment, as name=value (repeatable); see `trainer()`."
    )
    var settings: [String] = []

    /// The trainer under evaluation: the defaults, with any `--set name=value` applied.
    func trainer() throws -> SpeechCommandTrainer {
        var trainer = SpeechCommandTrainer()
        for setting in settings {
            let parts = setting.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { throw ValidationError("--set takes name=value, not \(setting)") }
            let list = parts[1].split(separator: ",").compactMap { Double($0) }
            guard let value = list.first else { throw ValidationError("--set \(parts[0]): not a number") }
            switch parts[0] {
            case "neighbours": trainer.configuration.neighbours = Int(value)
            case "prototypes": trainer.configuration.prototypesPerWord = Int(value)
            case "band": trainer.configuration.warpingBand = value
            case "snr": trainer.configuration.noisyCopiesSignalToNoise = value > 0 ? value : nil
            case "warps": trainer.configuration.vocalTractFactors = list
            case "low": trainer.featureOptions.lowFrequency = Float(value)
            case "bands": trainer.featureOptions.melBandCount = Int(value)
            case "floor": trainer.featureOptions.dynamicRangeDecibels = Float(value)
            case "trim": trainer.featureOptions.trimRangeDecibels = Float(value)
            case "high": trainer.featureOptions.highFrequency = Float(value)
            case "cepstra": trainer.featureOptions.cepstrumCount = Int(value)
            case "gmm": trainer.configuration.posteriorgramComponents = Int(value)
            case "gmmiter": trainer.posteriorIterations = Int(value)
            case "gmmframes": trainer.posteriorFrames = Int(value)
            case "pfloor": trainer.posteriorFloor = Float(value)
            case "pweight": trainer.posteriorWeight = Float(value)
            case "cweight": trainer.cepstralWeight = Float(value)
            case "gmmseed": trainer.posteriorSeedOffset = UInt64(value)
            case "margin": trainer.refusalMargin = Float(value)
            case "phonetic": trainer.configuration.phoneticWeight = value
            default: throw ValidationError("--set: unknown setting \(parts[0])")
            }
        }
        return trainer
    }

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
        if !settings.isEmpty { print("Settings: \(settings.joined(separator: " "))") }
        let trainer = try trainer()
        let (model, seconds) = try await Stopwatch.time { try await trainer.train(on: .init(training)) }
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
        if accuracyOnly {
            let timing = groups.flatMap(\.1).map(\.oneSecond)
            var milliseconds: [Double] = []
            for audio in timing {
                let (_, elapsed) = await Stopwatch.time { model.recognize(audio) }
                milliseconds.append(elapsed * 1_000)
            }
            print(
                String(
                    format: "inference per 1 s clip p50 %.2f ms, p90 %.2f ms; %d KiB serialized",
                    Stopwatch.percentile(milliseconds, 0.5), Stopwatch.percentile(milliseconds, 0.9),
                    try model.serialized().count / 1_024))
            print(Self.machine())
            return
        }
        let (defaultModel, defaultSeconds) = try await Stopwatch.time {
            try await trainer.train(on: .init(shipped))
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
            try await printScale(name: "train\(size)", trainer: trainer, clips: scale, timing: timingClips, groups: groups)
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
        trainer: SpeechCommandTrainer,
        clips: [LabelledClip],
        timing: [PCMAudio],
        groups: [(String, [LabelledClip])]
    ) async throws {
        let (model, seconds) = try await Stopwatch.time { try await trainer.train(on: .init(clips)) }
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
