/// Reads `training.ModelID.model_id` out of a serialized request, knowing only the number of the
/// input's `training.ModelID` field: a minimal protobuf wire reader, so the gateway needs no code
/// generated from the provider's proto.
///
/// Protobuf semantics are kept: an embedded message that appears several times is merged, so the
/// last `model_id` wins; a missing field is the empty id (the default model).
struct ModelIDReader: Sendable {
    /// The field number of the `training.ModelID` field in the method's input message.
    var fieldNumber: UInt64

    /// Thrown for bytes that are not a well-formed protobuf message.
    struct Malformed: Error {}

    func modelID(in message: [UInt8]) throws(Malformed) -> String {
        var id = ""
        try Self.fields(of: message[...]) { number, value throws(Malformed) in
            guard number == fieldNumber, case .lengthDelimited(let embedded) = value else { return }
            try Self.fields(of: embedded) { inner, innerValue throws(Malformed) in
                // training.ModelID: string model_id = 1.
                if inner == 1, case .lengthDelimited(let text) = innerValue {
                    id = String(decoding: text, as: UTF8.self)
                }
            }
        }
        return id
    }

    enum FieldValue {
        case varint
        case fixed
        case lengthDelimited(ArraySlice<UInt8>)
    }

    /// Calls `visit` for every top-level field; groups (wire types 3 and 4, unused in proto3) are refused.
    static func fields(
        of bytes: ArraySlice<UInt8>,
        _ visit: (UInt64, FieldValue) throws(Malformed) -> Void
    ) throws(Malformed) {
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let key = try varint(bytes, &index)
            let number = key >> 3
            guard number > 0 else { throw Malformed() }
            switch key & 7 {
            case 0:
                _ = try varint(bytes, &index)
                try visit(number, .varint)
            case 1, 5:
                let width = key & 7 == 1 ? 8 : 4
                guard bytes.endIndex - index >= width else { throw Malformed() }
                index += width
                try visit(number, .fixed)
            case 2:
                let length = try varint(bytes, &index)
                guard length <= UInt64(bytes.endIndex - index) else { throw Malformed() }
                let end = index + Int(length)
                try visit(number, .lengthDelimited(bytes[index..<end]))
                index = end
            default:
                throw Malformed()
            }
        }
    }

    private static func varint(_ bytes: ArraySlice<UInt8>, _ index: inout Int) throws(Malformed) -> UInt64 {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while index < bytes.endIndex, shift < 64 {
            let byte = bytes[index]
            index += 1
            value |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return value }
            shift += 7
        }
        throw Malformed()
    }
}
