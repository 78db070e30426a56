import GRPCCore

/// Passes message bytes through untouched: the gateway never decodes a forwarded message (only the
/// model id of trainable calls is read, by ``ModelIDReader``), so it needs no generated code and
/// what reaches the provider is exactly what the caller sent.
struct RawBytesSerializer: MessageSerializer {
    func serialize<Bytes: GRPCContiguousBytes>(_ message: [UInt8]) throws -> Bytes {
        Bytes(message)
    }
}

struct RawBytesDeserializer: MessageDeserializer {
    func deserialize<Bytes: GRPCContiguousBytes>(_ serializedMessageBytes: Bytes) throws -> [UInt8] {
        serializedMessageBytes.withUnsafeBytes { Array($0) }
    }
}
