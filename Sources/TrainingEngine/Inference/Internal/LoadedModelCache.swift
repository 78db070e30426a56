/// Recently used models, so inference does not read an artifact from disk on every call. Keyed by
/// artifact path, which changes whenever a model is retrained. Concurrent calls for a model being
/// loaded share its one load.
actor LoadedModelCache<Model: Sendable> {
    private let capacity: Int
    private let metrics: InferenceMetrics
    private var entries: [String: Task<Model, any Error>] = [:]
    private var order: [String] = []

    init(capacity: Int, metrics: InferenceMetrics) {
        self.capacity = max(1, capacity)
        self.metrics = metrics
    }

    func model(key: String, load: @escaping @Sendable () async throws -> Model) async throws -> Model {
        let task: Task<Model, any Error>
        if let existing = entries[key] {
            task = existing
            order.removeAll { $0 == key }
            metrics.cache(hit: true)
        } else {
            task = Task { try await load() }
            entries[key] = task
            metrics.cache(hit: false)
            if order.count >= capacity {
                entries[order.removeFirst()] = nil
                metrics.cacheEvicted()
            }
        }
        order.append(key)
        do {
            return try await task.value
        } catch {
            entries[key] = nil  // a failed load is not cached
            throw error
        }
    }
}
