import Foundation
import Synchronization

/// Dedicated threads for CPU-heavy or blocking work (archive extraction, hashing, audio decoding,
/// training, inference), used as a task executor preference:
///
/// ```swift
/// let pool = WorkerThreadPool(name: "jobs", threads: 2)
/// let report = try await withTaskExecutorPreference(pool) { try await trainer.train(...) }
/// ```
///
/// Swift's cooperative pool has one thread per core; work that runs on it for seconds starves
/// everything else there, RPC handlers and job heartbeats included. On these threads it cannot:
/// at most `threads` such tasks run at once, and the cooperative pool stays free. The threads live
/// as long as the process, like the cooperative pool's.
public final class WorkerThreadPool: TaskExecutor, @unchecked Sendable {
    // @unchecked: `queue` is only touched under `condition`'s lock.
    private let condition = NSCondition()
    private var queue: [UnownedJob] = []
    private var head = 0
    public let threadCount: Int

    /// One pool per process for jobs whose runner was given none: as many threads as cores.
    public static var sharedJobs: WorkerThreadPool { shared(name: "jobs", threads: ProcessInfo.processInfo.activeProcessorCount) }

    private static let pools = Mutex<[String: WorkerThreadPool]>([:])

    /// The process's pool of this name and size, made on first use: servers built again and again
    /// in one process (tests, restarts in place) share their threads instead of adding more.
    public static func shared(name: String, threads: Int) -> WorkerThreadPool {
        pools.withLock { pools in
            let key = "\(name)/\(max(1, threads))"
            if let pool = pools[key] { return pool }
            let pool = WorkerThreadPool(name: name, threads: threads)
            pools[key] = pool
            return pool
        }
    }

    public init(name: String, threads: Int) {
        threadCount = max(1, threads)
        for index in 0..<threadCount {
            let thread = Thread { [self] in self.work() }
            thread.name = "\(name)-\(index)"
            thread.start()
        }
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        condition.lock()
        queue.append(job)
        condition.signal()
        condition.unlock()
    }

    private func work() {
        let executor = asUnownedTaskExecutor()
        while true {
            condition.lock()
            while head == queue.count { condition.wait() }
            let job = queue[head]
            head += 1
            if head > 1024, head * 2 > queue.count {
                queue.removeFirst(head)  // amortised: the array never grows without bound
                head = 0
            }
            condition.unlock()
            job.runSynchronously(on: executor)
        }
    }
}
