import Foundation

/// Reads what `BinaryWriter` wrote, failing (rather than trapping) on short input so a damaged
/// model file becomes an error message.
struct BinaryReader {
    struct EndOfData: Error {}

    private let bytes: [UInt8]
    private(set) var offset = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var remaining: Int { bytes.count - offset }

    mutating func read<Value: FixedWidthInteger>(_: Value.Type = Value.self) throws -> Value {
        let size = MemoryLayout<Value>.size
        guard remaining >= size else { throw EndOfData() }
        let value = bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: offset, as: Value.self) }
        offset += size
        return Value(littleEndian: value)
    }

    mutating func readFloat() throws -> Float { Float(bitPattern: try read(UInt32.self)) }

    mutating func readHalf() throws -> Float16 { Float16(bitPattern: try read(UInt16.self)) }

    mutating func readBool() throws -> Bool { try read(UInt8.self) != 0 }

    mutating func readString() throws -> String {
        let count = Int(try read(UInt16.self))
        guard remaining >= count else { throw EndOfData() }
        defer { offset += count }
        return String(decoding: bytes[offset..<offset + count], as: UTF8.self)
    }

    mutating func readBytes(_ count: Int) throws -> ArraySlice<UInt8> {
        guard count >= 0, remaining >= count else { throw EndOfData() }
        defer { offset += count }
        return bytes[offset..<offset + count]
    }
}
