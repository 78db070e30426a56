/// Server-generated model ids: 128 random bits from the system's CSPRNG, as 32 lower-case hex
/// characters. Unguessable, and safe as a path component, so a model's directory can be named by
/// its id without trusting anything a client sent.
public enum ModelIdentifier {
    public static func generate() -> String {
        var generator = SystemRandomNumberGenerator()
        let high = generator.next() as UInt64
        let low = generator.next() as UInt64
        return hex(high) + hex(low)
    }

    /// Whether `text` has the shape of an id this service generates. Anything else is rejected
    /// before it gets near the file system.
    public static func isWellFormed(_ text: String) -> Bool {
        text.utf8.count == 32 && text.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
    }

    private static func hex(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
