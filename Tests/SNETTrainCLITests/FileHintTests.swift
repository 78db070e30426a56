import ExampleServiceProto
import Foundation
import Testing
import TrainingClient
import TrainingTesting

@testable import snet_train

/// `call --field speech=clip.wav` (no `@`) sends the text `clip.wav` as the bytes: allowed, since
/// text can be what a service wants, but a value that names a file or looks like a file name gets a
/// note pointing at the `@` form. The rule, without a server or a process.
@Suite("snet-train call: a note when a bytes field is given a file name as text")
struct FileHintTests {
    let codec = DynamicMessageCodec(descriptors: try! ServiceDescriptors(descriptorSet: Data(base64Encoded: exampleServiceDescriptorSetBase64)!))

    func hints(_ assignments: [(path: String, value: String)]) -> [String] {
        Call.fileHints(codec.bytesGivenAsText(type: "service.sttInput", assignments: assignments))
    }

    @Test("a bytes field given a file's name, or a name that looks like one, gets the note")
    func fileNames() throws {
        #expect(
            hints([("speech", "clip.wav")]) == [
                "--field speech=clip.wav sends the text 'clip.wav' as speech's bytes; to send the file's content, write --field speech=@clip.wav"
            ])
        let scratch = try ScratchDirectory()
        let existing = scratch.file("recording")  // no extension, but there is such a file
        try Data("x".utf8).write(to: existing)
        #expect(hints([("speech", existing.path(percentEncoded: false))]).count == 1)
    }

    @Test("no note for text, for @FILE, or for a field that is not bytes")
    func noNote() {
        #expect(hints([("speech", "rain")]).isEmpty)
        #expect(hints([("speech", "it is raining.today")]).isEmpty, "text with spaces is text")
        #expect(hints([("speech", "@clip.wav")]).isEmpty)
        #expect(hints([("model_id.model_id", "m.json")]).isEmpty, "model_id is a string field")
    }
}
