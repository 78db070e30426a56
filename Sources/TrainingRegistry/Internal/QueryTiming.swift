import Metrics
import TrainingCore

/// `snet_registry_query_seconds{kind}`: how long each registry read or transaction took, the
/// figure that says whether a slow call is the database's doing. (Its own file: Foundation's
/// `Timer` would shadow the metric type.)
enum QueryTiming {
    static func record(_ kind: String, since start: ContinuousClock.Instant) {
        Timer(label: "snet_registry_query_seconds", dimensions: [("kind", kind)]).recordNanoseconds((ContinuousClock.now - start).nanoseconds)
    }
}
