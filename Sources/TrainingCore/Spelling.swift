/// "Did you mean …?" for a name a person typed: a configuration key, a flag, a subcommand, a method.
package enum Spelling {
    /// The candidate at the smallest edit distance from `word` (case ignored), if it is within a
    /// third of the word's length, and never further than `slack` for short words; nil otherwise.
    package static func closest(to word: String, in candidates: [String], slack: Int) -> String? {
        let typed = Array(word.lowercased())
        let scored = candidates.map { ($0, editDistance(typed, Array($0.lowercased()))) }
        guard let best = scored.min(by: { $0.1 < $1.1 }), best.1 <= max(slack, word.count / 3) else { return nil }
        return best.0
    }

    /// Levenshtein distance: insertions, deletions and substitutions, one each.
    package static func editDistance(_ a: [Character], _ b: [Character]) -> Int {
        guard !a.isEmpty, !b.isEmpty else { return max(a.count, b.count) }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}
