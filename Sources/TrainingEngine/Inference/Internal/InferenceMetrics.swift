import Metrics
import TrainingCore

/// A trainable method's inference figures, labelled by method: calls answered and their time
/// (`snet_inference_seconds{method}`), calls running and waiting for a slot
/// (`snet_inference_running{method}`, `snet_inference_waiting{method}`), and the trained-model
/// cache (`snet_model_cache_total{method,result="hit"|"load"}`, `snet_model_cache_evictions_total{method}`).
/// Every label set is known up front, so its objects are made together at the first call
/// (``MetricObjects``) and reused by every call after it.
/// (Its own file: Foundation's `Timer` would shadow the metric type.)
struct InferenceMetrics: Sendable {
    private struct Objects: Sendable {
        var running: Gauge
        var waiting: Gauge
        var seconds: Timer
        var cacheHits: Counter
        var cacheLoads: Counter
        var cacheEvictions: Counter
    }

    private let objects: MetricObjects<Objects>

    init(method: String) {
        let dimensions = [("method", method)]
        objects = MetricObjects { factory in
            Objects(
                running: Gauge(label: "snet_inference_running", dimensions: dimensions, factory: factory),
                waiting: Gauge(label: "snet_inference_waiting", dimensions: dimensions, factory: factory),
                seconds: Timer(label: "snet_inference_seconds", dimensions: dimensions, factory: factory),
                cacheHits: Counter(label: "snet_model_cache_total", dimensions: dimensions + [("result", "hit")], factory: factory),
                cacheLoads: Counter(label: "snet_model_cache_total", dimensions: dimensions + [("result", "load")], factory: factory),
                cacheEvictions: Counter(label: "snet_model_cache_evictions_total", dimensions: dimensions, factory: factory)
            )
        }
    }

    /// Records the load of the method's gate after a call entered or left it.
    func record(load: (running: Int, waiting: Int)) {
        let current = objects.current
        current.running.record(load.running)
        current.waiting.record(load.waiting)
    }

    func answered(since start: ContinuousClock.Instant) {
        objects.current.seconds.recordNanoseconds((ContinuousClock.now - start).nanoseconds)
    }

    func cache(hit: Bool) {
        let current = objects.current
        (hit ? current.cacheHits : current.cacheLoads).increment()
    }

    func cacheEvicted() {
        objects.current.cacheEvictions.increment()
    }
}
