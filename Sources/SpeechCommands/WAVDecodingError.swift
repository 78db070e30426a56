/// Why bytes could not be read as a PCM 16-bit WAV clip; `description` is a plain sentence that
/// can be shown to whoever supplied the file.
public struct WAVDecodingError: Error, Hashable, CustomStringConvertible {
    /// The kind of failure, for code that reacts differently to each.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Wrapped: Hashable, Sendable {
            case notWAV, unsupportedFormat, unsupportedSampleRate, truncated, noSamples
        }
        private let wrapped: Wrapped
        private init(_ wrapped: Wrapped) { self.wrapped = wrapped }

        /// Not a RIFF/WAVE file at all (wrong magic, or a different container).
        public static let notWAV = Self(.notWAV)
        /// A WAV file, but not PCM 16-bit (float, 8/24/32-bit, compressed) or with a broken format header.
        public static let unsupportedFormat = Self(.unsupportedFormat)
        /// A sample rate outside `WAVDecoder.supportedSampleRates`.
        public static let unsupportedSampleRate = Self(.unsupportedSampleRate)
        /// The file ends before the header or the audio it declares.
        public static let truncated = Self(.truncated)
        /// The file is well formed but holds no audio samples.
        public static let noSamples = Self(.noSamples)

        public var description: String { String(describing: wrapped) }
    }

    /// The kind of failure.
    public var code: Code
    /// What is wrong and what would be accepted instead.
    public var message: String

    /// Creates an error; `message` should say what is wrong and what is expected.
    public init(code: Code, message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
