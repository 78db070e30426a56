import SpeechCommands

/// The rows of the evaluation table: which clips each figure counts, in print order.
struct Breakdown: Sendable {
    struct Row: Sendable {
        var name: String
        /// Compared with a target: which one, if any.
        var target: Target?
        var counts: @Sendable (RunResult) -> [RunResult.Answer]
    }

    enum Target: Sendable, CustomStringConvertible {
        case unseenAccents, otherEngines, voice, tempoOrPitch, unknownRefused
        /// The least share every run must reach, in percent.
        var least: Double {
            switch self {
            case .unseenAccents: 97
            case .otherEngines: 85
            case .voice: 70
            case .tempoOrPitch: 80
            case .unknownRefused: 75
            }
        }
        var description: String {
            switch self {
            case .unseenAccents: "unseen espeak-ng accents >= 97%"
            case .otherEngines: "other engines >= 85%"
            case .voice: "every voice of other engines >= 70%"
            case .tempoOrPitch: "every tempo and pitch bin of other engines >= 80%"
            case .unknownRefused: "unknown words refused >= 75%"
            }
        }
    }

    var rows: [Row]

    /// Summary rows, then per engine, voice, tempo, pitch and sample rate of the clips in `sample`.
    init(sample: RunResult) {
        let isOther: @Sendable (RunResult.Answer) -> Bool = { $0.clip.origin?.engine != "espeak" }
        rows = [
            Row(name: "**unseen espeak-ng accents**", target: .unseenAccents) { $0.known.filter { !isOther($0) } },
            Row(name: "**other engines**", target: .otherEngines) { $0.known.filter(isOther) },
            Row(name: "**unknown words refused**", target: .unknownRefused) { $0.unknown },
        ]
        let origins = sample.known.compactMap(\.clip.origin)
        for engine in Set(origins.map(\.engine)).sorted() {
            rows.append(Row(name: "engine \(engine)", target: nil) { $0.known.filter { $0.clip.origin?.engine == engine } })
        }
        let voices = Set(origins.map { [$0.engine, $0.voice] }).sorted { $0.joined(separator: " ") < $1.joined(separator: " ") }
        for voice in voices {
            rows.append(
                Row(name: "voice \(voice[0]) \(voice[1])", target: voice[0] == "espeak" ? nil : .voice) {
                    $0.known.filter { $0.clip.origin?.engine == voice[0] && $0.clip.origin?.voice == voice[1] }
                })
        }
        for tempo in Set(origins.map(\.tempo)).sorted() {
            rows.append(
                Row(name: "tempo \(Double(tempo) / 100)x, other engines", target: .tempoOrPitch) {
                    $0.known.filter { isOther($0) && $0.clip.origin?.tempo == tempo }
                })
        }
        for cents in Set(origins.map(\.cents)).sorted() {
            rows.append(
                Row(name: "pitch \(cents > 0 ? "+" : "")\(cents) cents, other engines", target: .tempoOrPitch) {
                    $0.known.filter { isOther($0) && $0.clip.origin?.cents == cents }
                })
        }
        for tempo in Set(origins.map(\.tempo)).sorted() {
            rows.append(
                Row(name: "tempo \(Double(tempo) / 100)x, espeak-ng", target: nil) {
                    $0.known.filter { !isOther($0) && $0.clip.origin?.tempo == tempo }
                })
        }
        for cents in Set(origins.map(\.cents)).sorted() {
            rows.append(
                Row(name: "pitch \(cents > 0 ? "+" : "")\(cents) cents, espeak-ng", target: nil) {
                    $0.known.filter { !isOther($0) && $0.clip.origin?.cents == cents }
                })
        }
        for rate in Set(sample.known.map(\.clip.audio.sampleRate)).sorted() {
            rows.append(
                Row(name: "sample rate \(rate) Hz, all engines", target: nil) {
                    $0.known.filter { $0.clip.audio.sampleRate == rate }
                })
        }
    }
}
