import Metrics
import TrainingCore

/// `snet_registry_query_seconds{kind}`: how long each registry read or transaction took, the
/// figure that says whether a slow call is the database's doing. Its two timers are made once
/// (``MetricObjects``), not on every query. (Its own file: Foundation's `Timer` would shadow the
/// metric type.)
final class QueryTiming: Sendable {
    private struct Timers: Sendable {
        var read: Timer
        var transaction: Timer
    }

    enum Kind {
        case read, transaction
    }

    private let timers = MetricObjects { factory in
        Timers(
            read: Timer(label: "snet_registry_query_seconds", dimensions: [("kind", "read")], factory: factory),
            transaction: Timer(label: "snet_registry_query_seconds", dimensions: [("kind", "transaction")], factory: factory)
        )
    }

    func record(_ kind: Kind, since start: ContinuousClock.Instant) {
        let timers = timers.current
        let timer = kind == .read ? timers.read : timers.transaction
        timer.recordNanoseconds((ContinuousClock.now - start).nanoseconds)
    }
}
