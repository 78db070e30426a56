/// A gRPC method, as the daemon names it in `NewModel`: the fully qualified service
/// (`service.ExampleService`) and the method (`stt`).
public struct MethodName: Sendable, Hashable, Codable, CustomStringConvertible, Comparable {
    public var service: String
    public var method: String

    public init(service: String, method: String) {
        self.service = service
        self.method = method
    }

    /// `service.ExampleService/stt`, the form gRPC paths use.
    public var description: String { "\(service)/\(method)" }

    public static func < (lhs: MethodName, rhs: MethodName) -> Bool {
        lhs.description < rhs.description
    }
}
