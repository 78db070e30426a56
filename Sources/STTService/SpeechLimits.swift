/// Bounds on the audio a consumer sends to `stt` and `basic_stt`, and puts in a dataset.
public struct SpeechLimits: Sendable, Hashable {
    /// The longest clip accepted, in seconds: longer clips are refused from their header, before
    /// any decoding (INVALID_ARGUMENT at inference; ERRORED naming the files at validation).
    /// Commands are about a second long; 10 s leaves room for slow speakers and silence.
    public var maxClipSeconds: Double

    public static var defaults: SpeechLimits { SpeechLimits(maxClipSeconds: 10) }

    public init(maxClipSeconds: Double) {
        self.maxClipSeconds = maxClipSeconds
    }
}
