import Testing
import TrainingCore

/// The one "did you mean" of configuration keys and snet-train's flags and subcommands.
@Suite("Spelling")
struct SpellingTests {
    @Test("edit distance counts insertions, deletions and substitutions")
    func editDistance() {
        #expect(Spelling.editDistance(Array("kitten"), Array("sitting")) == 3)
        #expect(Spelling.editDistance(Array(""), Array("abc")) == 3)
        #expect(Spelling.editDistance(Array("same"), Array("same")) == 0)
    }

    @Test("the closest candidate within a third of the word's length, case ignored; nothing further off")
    func closest() {
        #expect(Spelling.closest(to: "uplaod", in: ["upload", "status", "train"], slack: 2) == "upload")
        #expect(Spelling.closest(to: "STT", in: ["stt", "basic_stt"], slack: 1) == "stt")
        #expect(Spelling.closest(to: "delete", in: ["upload", "status"], slack: 2) == nil)
        #expect(Spelling.closest(to: "ab", in: ["xy"], slack: 1) == nil, "two edits in a short word are past slack 1")
        #expect(Spelling.closest(to: "ab", in: ["xy"], slack: 2) == "xy")
    }
}
