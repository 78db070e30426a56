import Metrics
import TrainingCore

/// A trainable method's inference figures, labelled by method: calls answered and their time
/// (`snet_inference_seconds{method}`), calls running and waiting for a slot
/// (`snet_inference_running{method}`, `snet_inference_waiting{method}`), and the trained-model
/// cache (`snet_model_cache_total{method,result="hit"|"load"}`, `snet_model_cache_evictions_total{method}`).
/// (Its own file: Foundation's `Timer` would shadow the metric type.)
struct InferenceMetrics: Sendable {
    private let method: String

    init(method: String) {
        self.method = method
    }

    private var dimensions: [(String, String)] { [("method", method)] }

    /// Records the load of the method's gate after a call entered or left it.
    func record(load: (running: Int, waiting: Int)) {
        Gauge(label: "snet_inference_running", dimensions: dimensions).record(load.running)
        Gauge(label: "snet_inference_waiting", dimensions: dimensions).record(load.waiting)
    }

    func answered(since start: ContinuousClock.Instant) {
        Timer(label: "snet_inference_seconds", dimensions: dimensions).recordNanoseconds((ContinuousClock.now - start).nanoseconds)
    }

    func cache(hit: Bool) {
        Counter(label: "snet_model_cache_total", dimensions: dimensions + [("result", hit ? "hit" : "load")]).increment()
    }

    func cacheEvicted() {
        Counter(label: "snet_model_cache_evictions_total", dimensions: dimensions).increment()
    }
}
