import Foundation

/// The words' pronunciations as phone sequences of the phonetic model, from the CMU Pronouncing
/// Dictionary shipped with the package (`Resources/cmudict-en-us.dict`, 134,860 entries, the
/// one CMU Sphinx's US English model was trained with). The keyword score (see `KeywordScorer`)
/// aligns a clip with them.
struct Pronunciations: Sendable, Hashable {
    /// Per word (in the model's word order), its pronunciations, each a sequence of phone indices.
    var byWord: [[[UInt8]]]

    /// The most pronunciations kept per word and phones per pronunciation (the file's longest has
    /// 8 and about 30): bounds a stored model.
    static let maximumVariants = 8
    static let maximumPhones = 40

    /// Looks every word up (case-insensitively); nil when the dictionary is missing or lacks any of
    /// them, since a keyword score for some words only would not compare across words.
    static func lookUp(_ words: [String]) -> Pronunciations? {
        guard let url = Bundle.module.url(forResource: "cmudict-en-us", withExtension: "dict"),
            let text = try? String(contentsOf: url, encoding: .utf8)
        else { return nil }
        return lookUp(words, in: text)
    }

    /// The same from dictionary text: lines `word PH PH ...`, further pronunciations as `word(2) ...`.
    static func lookUp(_ words: [String], in text: String) -> Pronunciations? {
        let wanted = Dictionary(words.enumerated().map { ($0.element.lowercased(), $0.offset) }) { first, _ in first }
        let phoneIndex = Dictionary(uniqueKeysWithValues: PhoneticModel.phoneNames.enumerated().map { ($0.element, UInt8($0.offset)) })
        var byWord = [[[UInt8]]](repeating: [], count: words.count)
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: " ")
            guard let head = fields.first else { continue }
            let word = head.firstIndex(of: "(").map { head[..<$0] } ?? head
            guard let index = wanted[String(word)], byWord[index].count < maximumVariants else { continue }
            let phones = fields.dropFirst().compactMap { phoneIndex[String($0)] }
            guard phones.count == fields.count - 1, (1...maximumPhones).contains(phones.count) else { continue }
            byWord[index].append(phones)
        }
        guard !byWord.contains(where: \.isEmpty) else { return nil }
        return Pronunciations(byWord: byWord)
    }
}
