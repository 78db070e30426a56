public import Foundation

/// The time source of the registry and job runner, injected so tests can move time (lease expiry,
/// recovery after a crash) without sleeping.
public struct WallClock: Sendable {
    private let read: @Sendable () -> Date
    public init(_ read: @escaping @Sendable () -> Date) { self.read = read }
    public func now() -> Date { read() }
    /// The system's clock.
    public static var system: WallClock { WallClock { Date() } }
}
