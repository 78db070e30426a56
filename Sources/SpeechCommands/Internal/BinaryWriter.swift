import Foundation

/// Appends little-endian fixed-width values, for the model file format.
struct BinaryWriter {
    private(set) var bytes: [UInt8] = []

    mutating func write<Value: FixedWidthInteger>(_ value: Value) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    mutating func write(_ value: Float) { write(value.bitPattern) }

    mutating func write(_ value: Float16) { write(value.bitPattern) }

    mutating func write(_ value: Bool) { write(UInt8(value ? 1 : 0)) }

    /// A UTF-8 string behind a 16-bit byte count.
    mutating func write(_ value: String) {
        let utf8 = Array(value.utf8)
        write(UInt16(utf8.count))
        bytes.append(contentsOf: utf8)
    }
}
