/// HTTP/2 flow control and framing of the gRPC port, as the server advertises them to its clients.
///
/// They govern what a client may *send*: an `upload_and_validate` stream can have at most
/// ``targetWindowSize`` bytes in flight before it waits a round trip for a WINDOW_UPDATE, cut into
/// frames of at most ``maxFrameSize``. The transport's own defaults (a 64 KiB window, 16 KiB frames)
/// keep a 1 MiB SDK batch waiting for sixteen window updates, so the server sits idle between them
/// and uploads crawl at a fraction of disk speed (measured by `TrainingBenchmarks`).
///
/// Memory stays bounded: the window applies per stream and to the whole connection, so one
/// connection has at most ``targetWindowSize`` bytes in flight however many streams it opens.
///
/// ```swift
/// var configuration = TrainingServerConfiguration.defaults
/// configuration.http2 = HTTP2Settings(targetWindowSize: 16 << 20, maxFrameSize: 1 << 20)
/// ```
public struct HTTP2Settings: Sendable, Hashable {
    /// Flow-control window per stream and per connection, in bytes (at most 2^31 - 1).
    public var targetWindowSize: Int
    /// Largest frame the server accepts, in bytes (the transport clamps it to 2^14 ... 2^24 - 1).
    public var maxFrameSize: Int

    public init(targetWindowSize: Int, maxFrameSize: Int) {
        self.targetWindowSize = targetWindowSize
        self.maxFrameSize = maxFrameSize
    }

    /// A 2 MiB window (two SDK batches in flight) and 1 MiB frames (one SDK batch in about one
    /// frame). Measured with `TrainingBenchmarks --only Upload` on loopback: 553-695 MiB/s and
    /// +18-23 MiB at the peak of a 1 GiB upload, where 4 and 8 MiB windows were no faster and grew the
    /// server by 24-37 MiB (the transport also buffers up to ten received messages per stream).
    /// A window allows at most window / round trip: 200 MiB/s at 10 ms, so a daemon far from the
    /// service wants a larger one (`server.http2WindowBytes`).
    public static var defaults: HTTP2Settings {
        HTTP2Settings(targetWindowSize: 2 << 20, maxFrameSize: 1 << 20)
    }

    /// The transport's own defaults (64 KiB - 1 window, 16 KiB frames): the baseline the benchmarks
    /// compare ``defaults`` with.
    public static var transportDefaults: HTTP2Settings {
        HTTP2Settings(targetWindowSize: (1 << 16) - 1, maxFrameSize: 1 << 14)
    }
}
