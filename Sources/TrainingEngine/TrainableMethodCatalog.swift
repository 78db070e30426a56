public import TrainingCore

/// The service's trainable methods and their `training.*` options: what `create_model` may name
/// and what every dataset limit comes from. `TrainingGRPC` builds it from the service's descriptor
/// set; any other front end (a test, a gateway) can build it from a list.
public struct TrainableMethodCatalog: Sendable {
    /// Trainable methods by name.
    public let methods: [MethodName: TrainableMethod]

    public init(methods: [TrainableMethod]) {
        self.methods = Dictionary(methods.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// Finds a method as the consumer named it: the service fully qualified (`service.ExampleService`)
    /// or, when that is unambiguous, by its short name (`ExampleService`).
    public func method(service: String, method: String) -> TrainableMethod? {
        if let exact = methods[MethodName(service: service, method: method)] { return exact }
        let candidates = methods.values.filter {
            $0.name.method == method && $0.name.service.split(separator: ".").last.map(String.init) == service
        }
        return candidates.count == 1 ? candidates.first : nil
    }

    /// The method whose `default_model_id` is `id`, if any.
    public func methodWithDefaultModel(_ id: String) -> TrainableMethod? {
        methods.values.first { !$0.options.defaultModelID.isEmpty && $0.options.defaultModelID == id }
    }

    /// `service.ExampleService/stt, …` for error messages.
    public var trainableList: String {
        methods.keys.sorted().map(\.description).joined(separator: ", ")
    }
}
