import Synchronization

/// A flag one task raises and another reads after it: why a job or a trainer run was stopped
/// (its time limit, rather than its owner), decided where the stop happens and read where it ends.
public final class SharedFlag: Sendable {
    private let raised = Atomic<Bool>(false)

    public init() {}

    public func raise() { raised.store(true, ordering: .releasing) }

    public var isRaised: Bool { raised.load(ordering: .acquiring) }
}
