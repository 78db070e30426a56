/// Why bytes could not be loaded as a `SpeechCommandModel`.
public struct SpeechCommandModelError: Error, Hashable, CustomStringConvertible {
    /// The kind of failure.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Wrapped: Hashable, Sendable { case notAModel, unsupportedVersion, corrupt }
        private let wrapped: Wrapped
        private init(_ wrapped: Wrapped) { self.wrapped = wrapped }

        /// The bytes are something else entirely (wrong magic number).
        public static let notAModel = Self(.notAModel)
        /// A model written by a newer, incompatible format version.
        public static let unsupportedVersion = Self(.unsupportedVersion)
        /// A model file that was damaged or cut short (checksum or structure mismatch).
        public static let corrupt = Self(.corrupt)

        public var description: String { String(describing: wrapped) }
    }

    /// The kind of failure.
    public var code: Code
    /// What is wrong, in plain words.
    public var message: String

    /// Creates an error.
    public init(code: Code, message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
