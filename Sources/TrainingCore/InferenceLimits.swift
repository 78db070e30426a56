public import Foundation

/// How much inference one node runs at once. Each trainable method admits `concurrency` calls at a
/// time and queues `queueLength` more; past that a call is answered RESOURCE_EXHAUSTED with a retry
/// hint at once, never left waiting. Inference runs on `threads` dedicated threads, never on Swift's
/// cooperative pool, so it cannot starve RPC handling or job heartbeats.
public struct InferenceLimits: Sendable, Hashable {
    public var concurrency: Int
    public var queueLength: Int
    public var threads: Int

    /// As many concurrent calls and threads as cores, and a queue of 16 per method.
    public static var defaults: InferenceLimits {
        let cores = max(1, ProcessInfo.processInfo.activeProcessorCount)
        return InferenceLimits(concurrency: cores, queueLength: 16, threads: cores)
    }

    public init(concurrency: Int, queueLength: Int, threads: Int) {
        self.concurrency = concurrency
        self.queueLength = queueLength
        self.threads = threads
    }
}
