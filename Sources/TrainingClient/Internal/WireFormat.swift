import Foundation

/// The protobuf binary wire format, just enough to build and read messages that are known only
/// from their descriptors at run time (SwiftProtobuf needs generated types).
enum WireType: UInt64 {
    case varint = 0
    case fixed64 = 1
    case lengthDelimited = 2
    case fixed32 = 5
}

struct WireWriter {
    private(set) var bytes: [UInt8] = []

    mutating func tag(_ number: Int32, _ type: WireType) {
        varint(UInt64(number) << 3 | type.rawValue)
    }

    mutating func varint(_ value: UInt64) {
        var value = value
        while value >= 0x80 {
            bytes.append(UInt8(value & 0x7F) | 0x80)
            value >>= 7
        }
        bytes.append(UInt8(value))
    }

    mutating func fixed32(_ value: UInt32) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    mutating func fixed64(_ value: UInt64) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    mutating func lengthDelimited(_ data: some Collection<UInt8>) {
        varint(UInt64(data.count))
        bytes.append(contentsOf: data)
    }
}

struct WireReader {
    struct Malformed: Error {}

    enum Value {
        case varint(UInt64)
        case fixed64(UInt64)
        case fixed32(UInt32)
        case bytes(ArraySlice<UInt8>)
    }

    private let bytes: ArraySlice<UInt8>
    private var position: Int

    init(_ bytes: ArraySlice<UInt8>) {
        self.bytes = bytes
        self.position = bytes.startIndex
    }

    var isAtEnd: Bool { position >= bytes.endIndex }

    /// The next field's number and value.
    mutating func next() throws -> (Int32, Value) {
        let key = try varint()
        let number = Int32(truncatingIfNeeded: key >> 3)
        guard number > 0 else { throw Malformed() }
        switch key & 7 {
        case 0: return (number, .varint(try varint()))
        case 1: return (number, .fixed64(try fixed(8)))
        case 5: return (number, .fixed32(UInt32(try fixed(4))))
        case 2:
            let length = try varint()
            guard length <= UInt64(bytes.endIndex - position) else { throw Malformed() }
            let start = position
            position += Int(length)
            return (number, .bytes(bytes[start..<position]))
        default: throw Malformed()
        }
    }

    private mutating func varint() throws -> UInt64 {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while position < bytes.endIndex, shift < 64 {
            let byte = bytes[position]
            position += 1
            value |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 { return value }
            shift += 7
        }
        throw Malformed()
    }

    private mutating func fixed(_ count: Int) throws -> UInt64 {
        guard bytes.endIndex - position >= count else { throw Malformed() }
        var value: UInt64 = 0
        for offset in 0..<count { value |= UInt64(bytes[position + offset]) << (8 * UInt64(offset)) }
        position += count
        return value
    }
}
