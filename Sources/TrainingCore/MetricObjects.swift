package import Metrics
import Synchronization

/// Metric objects made once, at first use, and kept: making a `Counter` or `Timer` asks the
/// factory to find or make its handler (a lock and a lookup by label and dimensions in a
/// Prometheus registry), which is too much to repeat on every inference call or registry read.
///
/// Objects come from the factory current at use (`MetricsSystem.factory`, so a server's
/// task-local factory from `withMetricsFactory`), and are made again when that factory changes:
/// reads made at start-up, before the server binds its registry's factory, must not pin the
/// objects to the global one. A factory is told apart from the last one by its type, and by
/// identity when it is a class.
package final class MetricObjects<Objects: Sendable>: Sendable {
    private let make: @Sendable (any MetricsFactory) -> Objects
    private let made = Mutex<(factory: FactoryKey, objects: Objects)?>(nil)

    /// - Parameter make: makes every object of the set from `factory`.
    package init(_ make: @escaping @Sendable (_ factory: any MetricsFactory) -> Objects) {
        self.make = make
    }

    /// The objects for the current factory.
    package var current: Objects {
        let factory = MetricsSystem.factory
        let key = FactoryKey(factory)
        return made.withLock { made in
            if let made, made.factory == key { return made.objects }
            let objects = make(factory)
            made = (key, objects)
            return objects
        }
    }
}

/// What tells one metrics factory from another without requiring it to be `Hashable`.
private struct FactoryKey: Equatable, Sendable {
    var typeID: ObjectIdentifier
    var instanceID: ObjectIdentifier?

    init(_ factory: any MetricsFactory) {
        let dynamicType = Swift.type(of: factory)
        typeID = ObjectIdentifier(dynamicType)
        instanceID = dynamicType is AnyClass ? ObjectIdentifier(factory as AnyObject) : nil
    }
}
