import ArgumentParser
import Foundation
import SpeechCommands

/// Trains the recognizer on each training set with each mixture seed and prints its figures on a
/// development or test set: one line per model, a table per engine, voice, tempo, pitch and sample
/// rate (ranges over seeds), the issue's targets and the training-size check.
/// `scripts/evaluate-recognizer.sh` synthesizes the sets and runs it.
@main
struct SpeechEvaluation: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measures the speech-commands recognizer on voices and engines it was not trained on."
    )

    @Option(help: "A development or test set: known/<word>/<clip>.wav and unknown/<word>/<clip>.wav.")
    var sets: String

    @Option(help: "A training set, <word>/<speaker>.wav (repeatable); the last one is the largest, whose costs are judged.")
    var training: [String]

    @Option(help: "Mixture seeds, comma-separated: each training set is trained once per seed.")
    var seeds = "0,1,2"

    @Flag(help: "List every wrong answer of every model.")
    var verbose = false

    @Flag(help: "Skip timing recognition (otherwise timed for the first seed of every training set).")
    var noTiming = false

    @Option(help: "Write every clip's word scores to this CSV file (for studying refusal rules).")
    var dumpScores: String?

    @Option(help: "With --dump-scores: a set of known words whose scores are also written (group `proxy`).")
    var proxy: String?

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
            case "margin": trainer.refusalMargin = Float(value)
            case "quantile": trainer.refusalQuantile = value
            case "relative": trainer.refusalRule = value > 0 ? .relativeScore : .closestScore  // 0: by the closest score
            case "relthreshold": trainer.relativeRefusalThreshold = Float(value)
            case "phonetic": trainer.configuration.phoneticWeight = value
            default: throw ValidationError("--set: unknown setting \(parts[0])")
            }
        }
        return trainer
    }

    func run() async throws {
        let folder = URL(fileURLWithPath: sets)
        let known = try LabelledClip.load(folder.appendingPathComponent("known"))
        let unknown = try LabelledClip.load(folder.appendingPathComponent("unknown"))
        guard !known.isEmpty else { throw ValidationError("no clips in \(sets)/known") }
        let seedList = try seeds.split(separator: ",").map {
            guard let seed = UInt64($0) else { throw ValidationError("--seeds: not a number: \($0)") }
            return seed
        }
        emit(Self.machine())
        emit("Evaluation set \(sets): \(known.count) clips of known words, \(unknown.count) of unknown words")
        if !settings.isEmpty { emit("Settings: \(settings.joined(separator: " "))") }
        let base = try trainer()
        var runs: [RunResult] = []
        var dump: [String] = []
        let proxyClips = try proxy.map { try LabelledClip.load(URL(fileURLWithPath: $0)) } ?? []
        for path in training {
            let clips = try LabelledClip.load(URL(fileURLWithPath: path))
            let name = URL(fileURLWithPath: path).lastPathComponent
            for (index, seed) in seedList.enumerated() {
                var trainer = base
                trainer.posteriorSeedOffset = seed
                let (model, seconds) = try await Stopwatch.time { try await trainer.train(on: .init(clips)) }
                var run = RunResult(training: name, seed: seed, trainingSeconds: seconds, model: model, known: known, unknown: unknown)
                if index == 0 && !noTiming {
                    var milliseconds: [Double] = []
                    for clip in known {
                        let audio = clip.oneSecond
                        let (_, elapsed) = await Stopwatch.time { model.recognize(audio) }
                        milliseconds.append(elapsed * 1_000)
                    }
                    run.milliseconds = (Stopwatch.percentile(milliseconds, 0.5), Stopwatch.percentile(milliseconds, 0.9))
                }
                runs.append(run)
                if dumpScores != nil {
                    for (group, clips) in [("known", known), ("unknown", unknown), ("proxy", proxyClips)] {
                        dump += ScoreDump.lines(model: model, training: name, seed: seed, group: group, clips: clips)
                    }
                }
                let table = EvaluationTable(runs: [run], trainingSets: [name])
                emit("\(name) (\(clips.count) clips) " + table.runLines()[0].dropFirst(name.count + 1))
                if verbose { emit("  " + run.mistakes.joined(separator: " ")) }
            }
        }
        if let dumpScores { try (dump.joined(separator: "\n") + "\n").write(toFile: dumpScores, atomically: true, encoding: .utf8) }
        let names = training.map { URL(fileURLWithPath: $0).lastPathComponent }
        let table = EvaluationTable(runs: runs, trainingSets: names)
        emit("")
        emit(table.markdown())
        emit("")
        for line in table.targets(largest: names.last ?? "") + table.sizeCheck(largest: names.last ?? "") { emit(line) }
        emit("Most frequent errors over all runs (said -> answered): " + table.confusions())
        emit(Self.machine())
    }

    /// Prints unbuffered, so progress shows as it comes also when the output goes to a file.
    private func emit(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }

    /// Cores and load: timings on a shared machine mean little without them.
    private static func machine() -> String {
        let load = (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8))?.split(separator: " ").prefix(3)
        return "Machine: \(ProcessInfo.processInfo.activeProcessorCount) cores, load average "
            + (load?.joined(separator: " ") ?? "unknown") + " (other work shares the cores)"
    }
}
