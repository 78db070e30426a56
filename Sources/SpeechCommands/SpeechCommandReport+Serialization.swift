/// The report inside a serialized model (format version 2):
///
///     UInt8 split (0 none, 1 by speaker, 2 random); by speaker: UInt16 count + strings
///     UInt32 trainingClipCount, finalClipCount
///     UInt32 held-out clip count, then each as UInt16 word index, string name,
///            UInt16 closest-word index, Float64 confidence, UInt8 refusal (0 none, 1 silence, 2 unknown)
///
/// Strings are UInt16 byte count + UTF-8. The per-clip results let anyone recount the figures.
extension SpeechCommandReport {
    func write(to writer: inout BinaryWriter) {
        switch split {
        case .none: writer.write(UInt8(0))
        case .bySpeaker(let speakers):
            writer.write(UInt8(1))
            writer.write(UInt16(speakers.count))
            for speaker in speakers { writer.write(speaker) }
        case .random: writer.write(UInt8(2))
        }
        writer.write(UInt32(trainingClipCount))
        writer.write(UInt32(finalClipCount))
        writer.write(UInt32(heldOutClips.count))
        for clip in heldOutClips {
            writer.write(UInt16(words.firstIndex(of: clip.word) ?? 0))
            writer.write(clip.name)
            writer.write(UInt16(words.firstIndex(of: clip.recognition.word) ?? 0))
            writer.write(clip.recognition.confidence.bitPattern)
            let refusal: UInt8 =
                switch clip.recognition.refusal {
                case nil: 0
                case .silence?: 1
                default: 2
                }
            writer.write(refusal)
        }
    }

    /// Reads what `write(to:)` wrote; nil when the values cannot be a report of these words.
    init?(reading reader: inout BinaryReader, words: [String]) throws {
        let split: Split
        switch try reader.read(UInt8.self) {
        case 0: split = .none
        case 1: split = .bySpeaker(try (0..<Int(try reader.read(UInt16.self))).map { _ in try reader.readString() })
        case 2: split = .random
        default: return nil
        }
        let trainingClipCount = Int(try reader.read(UInt32.self))
        let finalClipCount = Int(try reader.read(UInt32.self))
        let count = Int(try reader.read(UInt32.self))
        guard count <= reader.remaining else { return nil }
        var clips: [HeldOutClip] = []
        for _ in 0..<count {
            let word = Int(try reader.read(UInt16.self))
            let name = try reader.readString()
            let heard = Int(try reader.read(UInt16.self))
            let confidence = Double(bitPattern: try reader.read(UInt64.self))
            let refusalCode = try reader.read(UInt8.self)
            guard word < words.count, heard < words.count, (0...1).contains(confidence), refusalCode <= 2 else { return nil }
            let refusal: Refusal? = refusalCode == 0 ? nil : refusalCode == 1 ? .silence : .unknownWord
            clips.append(
                HeldOutClip(
                    word: words[word],
                    name: name,
                    recognition: Recognition(word: words[heard], confidence: confidence, refusal: refusal)
                )
            )
        }
        self.init(
            split: split,
            words: words,
            trainingClipCount: trainingClipCount,
            heldOutClips: clips,
            finalClipCount: finalClipCount
        )
    }
}
