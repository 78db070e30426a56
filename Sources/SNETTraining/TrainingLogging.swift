public import Logging
import TrainingGRPC
import TrainingOperations

/// How log lines are written: readable text (the default), or one JSON object per line for log
/// shippers (key `logFormat`).
public enum LogFormat: String, Sendable, CaseIterable {
    case text
    case json
}

/// Log backend set-up for executables built on the library (libraries never bootstrap logging).
public enum TrainingLogging {
    /// Bootstraps swift-log once per process: standard error, `level`, `format`, and every line
    /// written during an RPC tagged with its request id (`RequestContext` in TrainingGRPC).
    public static func bootstrap(level: Logger.Level, format: LogFormat) {
        LoggingSystem.bootstrap(
            { label, provider in
                switch format {
                case .text:
                    var handler = StreamLogHandler.standardError(label: label, metadataProvider: provider)
                    handler.logLevel = level
                    return handler
                case .json:
                    var handler = JSONLogHandler(label: label, metadataProvider: provider)
                    handler.logLevel = level
                    return handler
                }
            },
            metadataProvider: .requestID
        )
    }
}
