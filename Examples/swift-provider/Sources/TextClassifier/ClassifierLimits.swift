/// The service's own bounds, beside the library's (`server`, `limits`, `inference`, ...).
public struct ClassifierLimits: Sendable, Hashable {
    /// The longest text `classify` takes, in UTF-8 bytes (configuration key `classifier.maxTextBytes`).
    public var maxTextBytes: Int

    /// 64 KiB: as the proto documents.
    public static var defaults: ClassifierLimits { ClassifierLimits(maxTextBytes: 64 << 10) }

    public init(maxTextBytes: Int) {
        self.maxTextBytes = maxTextBytes
    }
}
