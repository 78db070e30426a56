import Foundation
import SpeechCommands

/// Prints the figures of every run: one line per model, the table of ranges, the targets, the
/// training-size check and the most frequent confusions.
struct EvaluationTable {
    var runs: [RunResult]
    var trainingSets: [String]

    /// "min-max" of a row's figure over `runs` ("n/a" for none).
    private func range(_ row: Breakdown.Row, _ runs: [RunResult]) -> String {
        let values = runs.compactMap { RunResult.percent(row.counts($0)) }
        guard let low = values.min(), let high = values.max() else { return "n/a" }
        return low == high ? String(format: "%.1f", low) : String(format: "%.1f-%.1f", low, high)
    }

    func runLines() -> [String] {
        let breakdown = Breakdown(sample: runs[0])
        return runs.map { run in
            let figures = breakdown.rows.prefix(3).map { row in
                String(format: "%@ %.1f%%", row.name.replacingOccurrences(of: "**", with: ""), RunResult.percent(row.counts(run)) ?? .nan)
            }
            let timing = run.milliseconds.map { String(format: "; p50 %.2f ms, p90 %.2f ms", $0.p50, $0.p90) } ?? ""
            return String(format: "%@ seed %d: training %.1f s%@; ", run.training, run.seed, run.trainingSeconds, timing)
                + figures.joined(separator: ", ")
                + String(format: " (closest word right, refusals aside: %.1f%%)", run.closestPercent ?? .nan)
        }
    }

    /// The Markdown table: a row per group, a column per training set (range over seeds) and all runs.
    func markdown() -> String {
        let breakdown = Breakdown(sample: runs[0])
        var lines = [
            "| % right (range over seeds) | clips | " + trainingSets.joined(separator: " | ") + " | all runs |",
            "| --- | --- |" + String(repeating: " --- |", count: trainingSets.count + 1),
        ]
        for row in breakdown.rows {
            let cells = trainingSets.map { set in range(row, runs.filter { $0.training == set }) }
            lines.append(
                "| \(row.name) | \(row.counts(runs[0]).count) | " + cells.joined(separator: " | ") + " | \(range(row, runs)) |")
        }
        return lines.joined(separator: "\n")
    }

    /// Each target with the worst run's figure; `largest` is the training set whose cost is judged.
    func targets(largest: String) -> [String] {
        let breakdown = Breakdown(sample: runs[0])
        var lines: [String] = []
        for target in [Breakdown.Target.unseenAccents, .otherEngines, .voice, .tempoOrPitch, .unknownRefused] {
            let rows = breakdown.rows.filter { $0.target == target }
            let worst = rows.flatMap { row in runs.compactMap { run in RunResult.percent(row.counts(run)).map { (row.name, run, $0) } } }
                .min { $0.2 < $1.2 }
            guard let (name, run, value) = worst else { continue }
            lines.append(
                String(
                    format: "%@: worst %.1f%% (%@, %@ seed %d): %@", target.description, value,
                    name.replacingOccurrences(of: "**", with: ""), run.training, run.seed, value >= target.least ? "met" : "NOT met"))
        }
        let large = runs.filter { $0.training == largest }
        if let p50 = large.compactMap(\.milliseconds?.p50).max() {
            lines.append(String(format: "p50 < 10 ms at %@: %.2f ms: %@", largest, p50, p50 < 10 ? "met" : "NOT met"))
        }
        if let seconds = large.map(\.trainingSeconds).max() {
            lines.append(String(format: "training %@ < 60 s: %.1f s: %@", largest, seconds, seconds < 60 ? "met" : "NOT met"))
        }
        return lines
    }

    /// Where the largest training set does worse than a smaller one with the same seed by more
    /// than a point, on the summary rows and per engine.
    func sizeCheck(largest: String) -> [String] {
        let breakdown = Breakdown(sample: runs[0])
        let rows = breakdown.rows.filter { $0.target != nil && $0.target != .voice && $0.target != .tempoOrPitch || $0.name.hasPrefix("engine ") }
        var drops: [String] = []
        for large in runs where large.training == largest {
            for small in runs where small.training != largest && small.seed == large.seed {
                for row in rows {
                    guard let a = RunResult.percent(row.counts(small)), let b = RunResult.percent(row.counts(large)) else { continue }
                    if b < a - 1 {
                        drops.append(
                            String(
                                format: "%@, seed %d: %@ %.1f%% < %@ %.1f%%", row.name.replacingOccurrences(of: "**", with: ""), large.seed, largest, b,
                                small.training, a))
                    }
                }
            }
        }
        return drops.isEmpty ? ["bigger training set never more than 1 point lower: met"] : ["bigger training set more than 1 point lower: NOT met"] + drops
    }

    /// The most frequent `said -> answered` pairs over all runs (refusals as `(refused)`).
    func confusions(top: Int = 12) -> String {
        var counts: [String: Int] = [:]
        for run in runs {
            for answer in run.known where !answer.isRight {
                counts["\(answer.clip.word) -> \(answer.recognition.acceptedWord ?? "(refused)")", default: 0] += 1
            }
        }
        return counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.prefix(top)
            .map { "\($0.key) \($0.value)" }.joined(separator: ", ")
    }
}
