/// Which clips training keeps back to measure the model on: whole speakers when the file names
/// tell them apart, otherwise a seeded random share of every word's clips.
///
/// Holding out whole speakers is what makes the figure honest: a clip of a speaker whose other
/// clips were trained on is recognised far more easily than a new speaker's.
struct HeldOutSplit: Sendable {
    enum Method: Sendable, Hashable {
        /// Too few clips to hold any back (a word has a single clip).
        case none
        /// Every clip of these speakers is held out.
        case bySpeaker([String])
        /// A seeded random share of each word's clips.
        case random
    }

    var method: Method
    /// Per word, the indices (into the dataset's clips of that word) held out.
    var heldOut: [String: Set<Int>]

    var isEmpty: Bool { heldOut.values.allSatisfy(\.isEmpty) }

    /// The speaker part of a clip name: the name without a trailing take counter (`alice-2` and
    /// `alice_3` are `alice`) and without Speech Commands' `_nohash_` marker
    /// (`0a7c2a8d_nohash_1` is `0a7c2a8d`). nil when nothing but a number is left, as in
    /// `1.wav`, `2.wav`, which say nothing about who spoke.
    static func speaker(ofClipNamed name: String) -> String? {
        var speaker = Substring(name)
        let separators: Set<Character> = ["-", "_", " ", "."]
        if let last = speaker.lastIndex(where: { separators.contains($0) }),
            speaker[speaker.index(after: last)...].allSatisfy(\.isNumber),
            speaker.index(after: last) < speaker.endIndex
        {
            speaker = speaker[..<last]
        }
        for marker in ["_nohash", "-nohash"] where speaker.hasSuffix(marker) {
            speaker = speaker.dropLast(marker.count)
        }
        return speaker.isEmpty || speaker.allSatisfy(\.isNumber) ? nil : String(speaker)
    }

    /// Holds out about `fraction` of the clips. Speakers are used when at least 4 are told apart
    /// and at least one of them spoke more than one word (otherwise the names are not speakers);
    /// a speaker is only held out if every word keeps a clip for training.
    init(namesByWord: [String: [String]], fraction: Double, seed: UInt64) {
        let total = namesByWord.values.reduce(0) { $0 + $1.count }
        let target = Int((Double(total) * fraction).rounded())
        guard namesByWord.values.allSatisfy({ $0.count >= 2 }), target >= 1 else {
            self.init(method: .none, heldOut: [:])
            return
        }
        var wordsBySpeaker: [String: Set<String>] = [:]
        for (word, names) in namesByWord {
            for name in names {
                if let speaker = Self.speaker(ofClipNamed: name) { wordsBySpeaker[speaker, default: []].insert(word) }
            }
        }
        let allNamed = namesByWord.values.allSatisfy { $0.allSatisfy { Self.speaker(ofClipNamed: $0) != nil } }
        if allNamed, wordsBySpeaker.count >= 4, wordsBySpeaker.values.contains(where: { $0.count > 1 }),
            let split = Self.bySpeaker(namesByWord, speakers: wordsBySpeaker.keys, target: target, seed: seed)
        {
            self = split
        } else {
            self = Self.random(namesByWord, fraction: fraction, seed: seed)
        }
    }

    private init(method: Method, heldOut: [String: Set<Int>]) {
        self.method = method
        self.heldOut = heldOut
    }

    private static func bySpeaker(
        _ namesByWord: [String: [String]],
        speakers: Dictionary<String, Set<String>>.Keys,
        target: Int,
        seed: UInt64
    ) -> HeldOutSplit? {
        let speakersByWord = namesByWord.mapValues { $0.map(Self.speaker(ofClipNamed:)) }
        var remaining = namesByWord.mapValues(\.count)
        var chosen: [String] = []
        var heldOutCount = 0
        // A seeded hash order: reproducible, and unrelated to how the speakers are named.
        for speaker in speakers.sorted(by: { Self.rank($0, seed) < Self.rank($1, seed) }) {
            guard heldOutCount < target else { break }
            let counts = speakersByWord.mapValues { speakers in speakers.filter { $0 == speaker }.count }
            guard counts.allSatisfy({ remaining[$0.key, default: 0] - $0.value >= 1 }) else { continue }
            for (word, count) in counts { remaining[word, default: 0] -= count }
            heldOutCount += counts.values.reduce(0, +)
            chosen.append(speaker)
        }
        guard heldOutCount > 0 else { return nil }
        let held = Set(chosen)
        let heldOut = speakersByWord.mapValues { speakers in
            Set(speakers.indices.filter { speakers[$0].map(held.contains) ?? false })
        }
        return HeldOutSplit(method: .bySpeaker(chosen.sorted()), heldOut: heldOut)
    }

    private static func random(_ namesByWord: [String: [String]], fraction: Double, seed: UInt64) -> HeldOutSplit {
        let heldOut = namesByWord.mapValues { names -> Set<Int> in
            let count = min(names.count - 1, max(1, Int((Double(names.count) * fraction).rounded())))
            let order = names.indices.sorted { Self.rank(names[$0], seed &+ UInt64($0)) < Self.rank(names[$1], seed &+ UInt64($1)) }
            return Set(order.prefix(count))
        }
        return HeldOutSplit(method: .random, heldOut: heldOut)
    }

    /// FNV-1a of the text mixed with the seed: a stable pseudo-random rank.
    private static func rank(_ text: String, _ seed: UInt64) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325 ^ seed
        for byte in text.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return hash
    }
}
