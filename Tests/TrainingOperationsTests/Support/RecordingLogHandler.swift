import Logging
import Synchronization

/// Keeps every log line (message and metadata, the provider's included) for assertions.
final class LogRecord: Sendable {
    struct Line: Sendable {
        var message: String
        var metadata: [String: String]
    }

    private let lines = Mutex<[Line]>([])

    var all: [Line] { lines.withLock { $0 } }

    func append(_ line: Line) { lines.withLock { $0.append(line) } }

    /// A logger at `level` that records here, with the request-id metadata provider.
    func logger(level: Logger.Level = .info, metadataProvider: Logger.MetadataProvider) -> Logger {
        var logger = Logger(label: "recorded") { _ in RecordingLogHandler(record: self, metadataProvider: metadataProvider) }
        logger.logLevel = level
        return logger
    }
}

struct RecordingLogHandler: LogHandler {
    let record: LogRecord
    var metadataProvider: Logger.MetadataProvider?
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]

    init(record: LogRecord, metadataProvider: Logger.MetadataProvider?) {
        self.record = record
        self.metadataProvider = metadataProvider
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var all = metadata
        all.merge(metadataProvider?.get() ?? [:]) { $1 }
        all.merge(event.metadata ?? [:]) { $1 }
        record.append(.init(message: event.message.description, metadata: all.mapValues { "\($0)" }))
    }
}
