import Testing

@testable import TrainingGateway

@Suite("Model id read from request bytes")
struct ModelIDReaderTests {
    /// `field` as a length-delimited field holding `payload`.
    private func embedded(_ field: UInt8, _ payload: [UInt8]) -> [UInt8] {
        [field << 3 | 2, UInt8(payload.count)] + payload
    }

    private func modelID(_ text: String) -> [UInt8] {
        embedded(1, Array(text.utf8))
    }

    @Test("the ModelID field's model_id, among other fields of every wire type")
    func readsAmongOtherFields() throws {
        let message =
            [0x08, 0x96, 0x01]  // field 1, varint 150
            + embedded(2, Array("some text".utf8))
            + [0x1D, 1, 2, 3, 4]  // field 3, fixed32
            + embedded(4, modelID("a1b2"))
            + [0x29, 1, 2, 3, 4, 5, 6, 7, 8]  // field 5, fixed64
        #expect(try ModelIDReader(fieldNumber: 4).modelID(in: message) == "a1b2")
    }

    @Test("a missing field is the empty id (the default model)")
    func missingIsEmpty() throws {
        #expect(try ModelIDReader(fieldNumber: 1).modelID(in: embedded(2, Array("hello".utf8))) == "")
        #expect(try ModelIDReader(fieldNumber: 1).modelID(in: []) == "")
    }

    @Test("a repeated embedded message merges: the last model_id wins")
    func lastWins() throws {
        let message = embedded(1, modelID("first")) + embedded(1, modelID("second"))
        #expect(try ModelIDReader(fieldNumber: 1).modelID(in: message) == "second")
    }

    @Test(
        "truncated or malformed bytes are refused",
        arguments: [
            [0x0A, 0x05, 0x61],  // length past the end
            [0x08],  // varint missing
            [0x0B],  // group start (wire type 3)
            [0x00, 0x01],  // field number 0
            [0x08, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF],  // varint too long
        ] as [[UInt8]])
    func malformed(bytes: [UInt8]) {
        #expect(throws: ModelIDReader.Malformed.self) { try ModelIDReader(fieldNumber: 1).modelID(in: bytes) }
    }
}
