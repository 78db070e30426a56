public import Logging

/// What is known about the RPC the current task serves, so that every log line the request causes
/// (in handlers, the workflow, the registry) carries its request id without passing it around.
public enum RequestContext {
    /// The id of the RPC being served: the caller's `x-request-id` when it sent a usable one,
    /// otherwise one made by ``RequestLogInterceptor``. Nil outside an RPC (background jobs).
    @TaskLocal public static var requestID: String?

    /// The metadata key log lines carry the request id under.
    public static let metadataKey = "request_id"

    /// The metadata header a caller may set, and the server echoes back, to correlate its own logs.
    public static let headerName = "x-request-id"
}

extension Logger.MetadataProvider {
    /// Adds `request_id` to every log line written while an RPC is being served. Bootstrap the log
    /// backend with it (``Logger/MetadataProvider/requestID``), or create loggers with
    /// `Logger(label:metadataProvider:)`.
    public static let requestID = Logger.MetadataProvider {
        guard let id = RequestContext.requestID else { return [:] }
        return [RequestContext.metadataKey: .string(id)]
    }
}
