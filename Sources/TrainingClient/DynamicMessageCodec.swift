import Foundation
import SwiftProtobuf

/// Builds and reads protobuf messages whose types are known only from descriptors (read through
/// reflection), so `snet-train call` can invoke any method of any service.
///
/// Fields are given as `path=value`: `speech=@clip.wav` (bytes from a file), `name=hello`,
/// `count=3`, `flag=true`, `kind=FAST` (an enum value by name), and `model_id.model_id=abc` for a
/// field of a nested message. A repeated field takes the same path several times.
public struct DynamicMessageCodec: Sendable {
    public let descriptors: ServiceDescriptors

    public init(descriptors: ServiceDescriptors) {
        self.descriptors = descriptors
    }

    /// Why a message could not be built or read.
    public struct Problem: Error, Sendable, CustomStringConvertible {
        public var description: String
        /// True when a `@FILE` could not be read: a problem on this machine, not in the request.
        public var isUnreadableFile = false
    }

    /// The assignments that set a `bytes` field to literal text (no `@`). `speech=clip.wav` sends the
    /// eight bytes of the name, which is rarely what was meant.
    public func bytesGivenAsText(type: String, assignments: [(path: String, value: String)]) -> [(path: String, value: String)] {
        assignments.filter { path, value in
            guard !value.hasPrefix("@") else { return false }
            var message = descriptors.message(named: type)
            var field: Google_Protobuf_FieldDescriptorProto?
            for part in path.split(separator: ".") {
                field = message?.field.first { $0.name == part || $0.jsonName == part }
                message = field.flatMap { $0.type == .message ? descriptors.message(named: $0.typeName) : nil }
            }
            return field?.type == .bytes
        }
    }

    /// Encodes `assignments` (`path`, `value`) as a message of `type` (fully-qualified).
    public func encode(type: String, assignments: [(path: String, value: String)]) throws -> [UInt8] {
        guard let message = descriptors.message(named: type) else { throw Problem(description: "Unknown message type \(type).") }
        var writer = WireWriter()
        var nested: [(field: Google_Protobuf_FieldDescriptorProto, assignments: [(path: String, value: String)])] = []
        for (path, value) in assignments {
            let head = path.prefix { $0 != "." }
            guard let field = message.field.first(where: { $0.name == head || $0.jsonName == head }) else {
                throw Problem(description: "\(type) has no field '\(head)'. Its fields: \(message.field.map(\.name).joined(separator: ", ")).")
            }
            if field.type == .message {
                let rest = path.dropFirst(head.count + 1)
                guard !rest.isEmpty else {
                    throw Problem(description: "\(field.name) is a message (\(field.typeName.dropFirst())): set its fields as \(field.name).FIELD=VALUE.")
                }
                if let index = nested.firstIndex(where: { $0.field.number == field.number }), field.label != .repeated {
                    nested[index].assignments.append((String(rest), value))
                } else {
                    nested.append((field, [(String(rest), value)]))
                }
            } else {
                guard head.count == path.count else { throw Problem(description: "\(field.name) is not a message; '\(path)' has no meaning.") }
                try encodeScalar(field, value, into: &writer)
            }
        }
        for (field, assignments) in nested {
            writer.tag(field.number, .lengthDelimited)
            writer.lengthDelimited(try encode(type: field.typeName, assignments: assignments))
        }
        return writer.bytes
    }

    /// Decodes `bytes` as a message of `type` into JSON, proto field names as keys; absent singular
    /// scalar fields appear with their default value, as a proto3 reader sees them.
    public func decode(type: String, bytes: [UInt8]) throws -> JSONValue {
        guard let message = descriptors.message(named: type) else { throw Problem(description: "Unknown message type \(type).") }
        var values: [Int32: [JSONValue]] = [:]
        var reader = WireReader(bytes[...])
        do {
            while !reader.isAtEnd {
                let (number, value) = try reader.next()
                guard let field = message.field.first(where: { $0.number == number }) else { continue }
                values[number, default: []] += try decodeValue(field, value)
            }
        } catch is WireReader.Malformed {
            throw Problem(description: "The response is not a valid \(type) message.")
        }
        var members: [JSONValue.Member] = []
        for field in message.field {
            if let found = values[field.number] {
                members.append(.init(field.name, field.label == .repeated ? .array(found) : found.last!))
            } else if field.label != .repeated, field.type != .message, !field.proto3Optional {
                members.append(.init(field.name, defaultValue(field)))
            }
        }
        return .object(members)
    }

    private func encodeScalar(_ field: Google_Protobuf_FieldDescriptorProto, _ text: String, into writer: inout WireWriter) throws {
        func bad() -> Problem { Problem(description: "'\(text)' is not a valid \(field.type) for \(field.name).") }
        switch field.type {
        case .string:
            writer.tag(field.number, .lengthDelimited)
            writer.lengthDelimited(Array(text.utf8))
        case .bytes:
            let data: Data
            if text.hasPrefix("@") {
                let path = String(text.dropFirst())
                guard let contents = FileManager.default.contents(atPath: path) else {
                    throw Problem(description: "Cannot read \(path) for \(field.name).", isUnreadableFile: true)
                }
                data = contents
            } else {
                data = Data(text.utf8)
            }
            writer.tag(field.number, .lengthDelimited)
            writer.lengthDelimited(Array(data))
        case .bool:
            guard let value = Bool(text) else { throw bad() }
            writer.tag(field.number, .varint)
            writer.varint(value ? 1 : 0)
        case .int32, .int64:
            guard let value = Int64(text) else { throw bad() }
            writer.tag(field.number, .varint)
            writer.varint(UInt64(bitPattern: value))
        case .uint32, .uint64:
            guard let value = UInt64(text) else { throw bad() }
            writer.tag(field.number, .varint)
            writer.varint(value)
        case .sint32, .sint64:
            guard let value = Int64(text) else { throw bad() }
            writer.tag(field.number, .varint)
            writer.varint(UInt64(bitPattern: (value << 1) ^ (value >> 63)))
        case .fixed32, .sfixed32:
            guard let value = field.type == .fixed32 ? UInt32(text) : Int32(text).map({ UInt32(bitPattern: $0) }) else { throw bad() }
            writer.tag(field.number, .fixed32)
            writer.fixed32(value)
        case .fixed64, .sfixed64:
            guard let value = field.type == .fixed64 ? UInt64(text) : Int64(text).map({ UInt64(bitPattern: $0) }) else { throw bad() }
            writer.tag(field.number, .fixed64)
            writer.fixed64(value)
        case .float:
            guard let value = Float(text) else { throw bad() }
            writer.tag(field.number, .fixed32)
            writer.fixed32(value.bitPattern)
        case .double:
            guard let value = Double(text) else { throw bad() }
            writer.tag(field.number, .fixed64)
            writer.fixed64(value.bitPattern)
        case .enum:
            let values = descriptors.enumeration(named: field.typeName)?.value ?? []
            guard let number = values.first(where: { $0.name == text })?.number ?? Int32(text) else {
                throw Problem(description: "'\(text)' is not a value of \(field.typeName.dropFirst()): \(values.map(\.name).joined(separator: ", ")).")
            }
            writer.tag(field.number, .varint)
            writer.varint(UInt64(bitPattern: Int64(number)))
        default:
            throw Problem(description: "\(field.name) has type \(field.type), which call cannot set.")
        }
    }

    private func decodeValue(_ field: Google_Protobuf_FieldDescriptorProto, _ value: WireReader.Value) throws -> [JSONValue] {
        switch (field.type, value) {
        case (.string, .bytes(let bytes)): return [.string(String(decoding: bytes, as: UTF8.self))]
        case (.bytes, .bytes(let bytes)): return [.string(Data(bytes).base64EncodedString())]
        case (.message, .bytes(let bytes)): return [try decode(type: field.typeName, bytes: Array(bytes))]
        case (_, .bytes(let bytes)):
            // A packed repeated scalar: the same values one after another, without tags.
            var reader = PackedReader(bytes: Array(bytes), type: field.type)
            var values: [JSONValue] = []
            while let next = try reader.next() { values += try decodeValue(field, next) }
            return values
        case (.bool, .varint(let raw)): return [.bool(raw != 0)]
        case (.int32, .varint(let raw)): return [.integer(Int64(Int32(truncatingIfNeeded: raw)))]
        case (.int64, .varint(let raw)): return [.integer(Int64(bitPattern: raw))]
        case (.uint32, .varint(let raw)), (.uint64, .varint(let raw)): return [.unsigned(raw)]
        case (.sint32, .varint(let raw)), (.sint64, .varint(let raw)):
            return [.integer(Int64(bitPattern: raw >> 1) ^ -Int64(bitPattern: raw & 1))]
        case (.enum, .varint(let raw)):
            let number = Int32(truncatingIfNeeded: raw)
            let name = descriptors.enumeration(named: field.typeName)?.value.first { $0.number == number }?.name
            return [name.map(JSONValue.string) ?? .integer(Int64(number))]
        case (.fixed32, .fixed32(let raw)): return [.unsigned(UInt64(raw))]
        case (.sfixed32, .fixed32(let raw)): return [.integer(Int64(Int32(bitPattern: raw)))]
        case (.float, .fixed32(let raw)): return [.double(Double(Float(bitPattern: raw)))]
        case (.fixed64, .fixed64(let raw)): return [.unsigned(raw)]
        case (.sfixed64, .fixed64(let raw)): return [.integer(Int64(bitPattern: raw))]
        case (.double, .fixed64(let raw)): return [.double(Double(bitPattern: raw))]
        default: throw WireReader.Malformed()
        }
    }

    private func defaultValue(_ field: Google_Protobuf_FieldDescriptorProto) -> JSONValue {
        switch field.type {
        case .string, .bytes: .string("")
        case .bool: .bool(false)
        case .float, .double: .double(0)
        case .uint32, .uint64, .fixed32, .fixed64: .unsigned(0)
        case .enum: descriptors.enumeration(named: field.typeName)?.value.first.map { .string($0.name) } ?? .integer(0)
        default: .integer(0)
        }
    }
}

/// Reads the elements of a packed repeated scalar field.
private struct PackedReader {
    let bytes: [UInt8]
    let type: Google_Protobuf_FieldDescriptorProto.TypeEnum
    var offset = 0

    mutating func next() throws -> WireReader.Value? {
        guard offset < bytes.count else { return nil }
        let width: Int? =
            switch type {
            case .fixed32, .sfixed32, .float: 4
            case .fixed64, .sfixed64, .double: 8
            default: nil
            }
        if let width {
            guard bytes.count - offset >= width else { throw WireReader.Malformed() }
            var raw: UInt64 = 0
            for index in 0..<width { raw |= UInt64(bytes[offset + index]) << (8 * UInt64(index)) }
            offset += width
            return width == 4 ? .fixed32(UInt32(raw)) : .fixed64(raw)
        }
        var raw: UInt64 = 0
        var shift: UInt64 = 0
        while offset < bytes.count, shift < 64 {
            let byte = bytes[offset]
            offset += 1
            raw |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 { return .varint(raw) }
            shift += 7
        }
        throw WireReader.Malformed()
    }
}
