import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Set by the SIGINT handler; a signal handler may only touch lock-free state.
private let interruptRequested = Atomic<Bool>(false)

/// Ctrl-C during a long call (an upload): the call is cancelled and the command says what it left
/// behind, instead of the process dying mid-stream without a word.
enum Interruption {
    /// The person pressed Ctrl-C (SIGINT) while the call ran.
    struct Interrupted: Error {}

    /// Runs `body`, cancelling it on SIGINT and then throwing ``Interrupted``. SIGINT keeps its usual
    /// meaning (end the process) outside `body`.
    static func cancelOnInterrupt<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) async throws -> T {
        interruptRequested.store(false, ordering: .relaxed)
        var signals = sigset_t()
        sigemptyset(&signals)
        sigaddset(&signals, SIGINT)
        pthread_sigmask(SIG_UNBLOCK, &signals, nil)
        signal(SIGINT) { _ in interruptRequested.store(true, ordering: .relaxed) }
        defer { signal(SIGINT, SIG_DFL) }
        return try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask { try await body() }
            // Polls the flag: the handler itself cannot cancel a task.
            group.addTask {
                while !interruptRequested.load(ordering: .relaxed) { try await Task.sleep(for: .milliseconds(50)) }
                throw Interrupted()
            }
            do {
                while let next = try await group.next() {
                    if let value = next {
                        group.cancelAll()
                        return value
                    }
                }
            } catch {
                group.cancelAll()
                throw interruptRequested.load(ordering: .relaxed) ? Interrupted() : error
            }
            throw CancellationError()
        }
    }
}
