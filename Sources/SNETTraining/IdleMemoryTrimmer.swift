import Foundation
package import GRPCCore
package import Logging
import ServiceLifecycle
import CAllocator
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Gives the memory the allocator keeps back to the system once the node goes quiet.
///
/// glibc's malloc keeps what a thread frees in that thread's arena (up to 8 arenas per core) for
/// the next allocation, and returns it to the kernel only when the free space sits at the top of
/// the main heap. After uploads, a training and inference calls on several threads, most of the
/// peak stays resident although nothing uses it. `malloc_trim(0)` releases the free pages of every
/// arena. It runs once a whole `idleTime` has passed with no call starting or ending (health
/// probes aside) and no job running (the time is checked every `idleTime`, so the trim comes
/// between one and two idle times after the last activity), and once per quiet spell: the next call starts a new one.
/// Live data (loaded models, the registry's cache) is untouched, so the first call after the rest
/// costs about what a warm one does.
package final class IdleMemoryTrimmer: Service, ServerInterceptor {
    private let idleTime: Duration
    private let clock: any Clock<Duration>
    private let jobsRunning: @Sendable () -> Bool
    private let trim: @Sendable () -> Void
    private let logger: Logger
    /// Bumped by every call's start and end; a quiet spell is a sleep it did not move across.
    private let activity = Atomic<Int>(0)
    private let trims = Atomic<Int>(0)

    /// - Parameters:
    ///   - jobsRunning: whether this node runs a validation or training job now.
    ///   - trim: what returns the memory; ``returnFreeMemory()`` outside tests.
    package init(
        idleTime: Duration,
        clock: some Clock<Duration> = ContinuousClock(),
        jobsRunning: @escaping @Sendable () -> Bool,
        trim: @escaping @Sendable () -> Void = IdleMemoryTrimmer.returnFreeMemory,
        logger: Logger
    ) {
        self.idleTime = idleTime
        self.clock = clock
        self.jobsRunning = jobsRunning
        self.trim = trim
        self.logger = logger
    }

    /// How many times the node has trimmed since it started.
    package var trimCount: Int { trims.load(ordering: .relaxed) }

    package func run() async throws {
        try? await cancelWhenGracefulShutdown {
            // Start-up (loading or training a default model) leaves free memory too.
            var trimmed = false
            // A job seen at the last look ran during part of this idle time.
            var jobSeen = false
            while !Task.isCancelled {
                let before = self.activity.load(ordering: .relaxed)
                try await self.clock.sleep(for: self.idleTime)
                let jobRunning = self.jobsRunning()
                let quiet = self.activity.load(ordering: .relaxed) == before && !jobRunning && !jobSeen
                jobSeen = jobRunning
                if !quiet {
                    trimmed = false
                } else if !trimmed {
                    let resident = Self.residentBytes()
                    // The trim walks every arena under its lock, which takes a while in a large heap:
                    // it runs on a thread of its own, neither on one of the few that run the server's
                    // tasks nor on Dispatch's global pool (as wide as the cores on Linux), where it
                    // would wait behind, or hold up, other blocking work.
                    await withCheckedContinuation { done in
                        let thread = Thread {
                            self.trim()
                            done.resume()
                        }
                        thread.name = "idle-memory-trim"
                        thread.start()
                    }
                    self.trims.add(1, ordering: .relaxed)
                    trimmed = true
                    let malloc = MemoryReturn.mallocFigures()
                    self.logger.debug(
                        "node idle: returned free memory to the system",
                        metadata: [
                            "rss_before_mib": "\(resident >> 20)", "rss_after_mib": "\(Self.residentBytes() >> 20)",
                            "malloc_held_mib": "\(malloc.held >> 20)", "malloc_in_use_mib": "\(malloc.inUse >> 20)",
                        ]
                    )
                }
            }
        }
    }

    /// Calls started or ended; a call's end is when its response stream is written out.
    package func intercept<Input: Sendable, Output: Sendable>(
        request: StreamingServerRequest<Input>,
        context: ServerContext,
        next: @Sendable (StreamingServerRequest<Input>, ServerContext) async throws -> StreamingServerResponse<Output>
    ) async throws -> StreamingServerResponse<Output> {
        // A load balancer probing every second must not keep the node from ever being idle.
        if context.descriptor.service.fullyQualifiedService == "grpc.health.v1.Health" { return try await next(request, context) }
        touch()
        defer { touch() }
        var response = try await next(request, context)
        if case .success(var contents) = response.accepted {
            let producer = contents.producer
            contents.producer = { [self] writer in
                defer { touch() }
                return try await producer(writer)
            }
            response.accepted = .success(contents)
        }
        return response
    }

    /// Marks activity: the quiet spell starts again.
    package func touch() {
        activity.add(1, ordering: .relaxed)
    }

    /// Resident bytes now, from /proc/self/statm (0 where it cannot be read).
    private static func residentBytes() -> Int {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .ascii) else { return 0 }
        let fields = text.split(separator: " ")
        guard fields.count > 1, let pages = Int(fields[1]) else { return 0 }
        #if canImport(Glibc)
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
        #else
        return pages * 4096
        #endif
    }

    /// `malloc_trim(0)`: every arena's free pages go back to the kernel.
    package static func returnFreeMemory() {
        _ = snet_malloc_trim()
    }
}
