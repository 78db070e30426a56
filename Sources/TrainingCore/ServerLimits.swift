/// Server-wide caps that protect the machine, whoever the callers are. They are checked before a
/// model is stored or a job queued, so concurrent calls may pass them by at most the number of
/// calls in flight. 0 means no cap.
public struct ServerLimits: Sendable, Hashable {
    /// Live (not DELETED) models across all methods; `create_model` answers RESOURCE_EXHAUSTED at this number.
    public var maxLiveModels: Int
    /// Validation and training jobs queued or running; `upload_and_validate`, `validate_model` and
    /// `train_model` answer RESOURCE_EXHAUSTED at this number.
    public var maxPendingJobs: Int
    /// An `upload_and_validate` stream that sends nothing for this long is ended and its partial
    /// file removed, so an idle stream cannot hold a slot and disk space forever.
    public var uploadIdleTimeout: Duration = .seconds(60)
    /// Free bytes to keep on the data directory's volume: an upload, download or extraction that
    /// would go below them is refused with RESOURCE_EXHAUSTED and leaves nothing behind. Nil: the
    /// smaller of 1 GiB and 5% of the volume.
    public var diskReserveBytes: UInt64?
    /// The largest request message the transport accepts (`server.maxRequestMessageBytes`): no
    /// upload batch can be larger, so a `batch_count` too small for `file_size` is refused at once.
    public var maxRequestMessageBytes: UInt64 = 8 << 20

    /// 1 000 live models and 100 pending jobs; uploads idle for 60 s are ended.
    public static var defaults: ServerLimits {
        ServerLimits(maxLiveModels: 1_000, maxPendingJobs: 100)
    }

    public init(maxLiveModels: Int, maxPendingJobs: Int) {
        self.maxLiveModels = maxLiveModels
        self.maxPendingJobs = maxPendingJobs
    }
}
