/// How the server gives back memory it no longer uses after bursts of work (uploads, trainings,
/// inference on many threads); see docs/operations.md, *Memory*.
public struct MemoryReturn: Sendable, Hashable {
    /// Once the node has had no call start or end (health probes aside) and no job running for this
    /// long, the free memory the allocator keeps in its arenas goes back to the system
    /// (`malloc_trim`), once per quiet spell. Loaded models and caches stay. Nil never trims.
    public var trimAfterIdleTime: Duration?

    public init(trimAfterIdleTime: Duration?) {
        self.trimAfterIdleTime = trimAfterIdleTime
    }

    /// Trims after 10 s without calls or jobs.
    public static var defaults: MemoryReturn { MemoryReturn(trimAfterIdleTime: .seconds(10)) }
}
