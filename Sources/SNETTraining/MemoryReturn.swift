import Foundation

/// How the server gives back memory it no longer uses after bursts of work (uploads, trainings,
/// inference on many threads); see docs/operations.md, *Memory*.
public struct MemoryReturn: Sendable, Hashable {
    /// Once the node has had no call start or end (health probes aside) and no job running for this
    /// long, the free memory the allocator keeps in its arenas goes back to the system
    /// (`malloc_trim`), once per quiet spell. Loaded models and caches stay. Nil never trims.
    public var trimAfterIdleTime: Duration?
    /// At most this many malloc arenas (glibc's `M_ARENA_MAX`), set when the server is built. glibc
    /// gives threads that allocate at the same time arenas of their own, up to 8 per core; each
    /// keeps its own partly used pages, which a trim cannot return. One per core is as many as
    /// threads can use at once. Nil leaves glibc's limit.
    public var mallocArenas: Int?

    public init(trimAfterIdleTime: Duration?, mallocArenas: Int? = nil) {
        self.trimAfterIdleTime = trimAfterIdleTime
        self.mallocArenas = mallocArenas
    }

    /// Trims after 10 s without calls or jobs; one malloc arena per core.
    public static var defaults: MemoryReturn {
        MemoryReturn(trimAfterIdleTime: .seconds(10), mallocArenas: ProcessInfo.processInfo.activeProcessorCount)
    }
}
