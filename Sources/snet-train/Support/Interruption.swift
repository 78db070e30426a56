import Dispatch
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Ctrl-C during a long call (an upload): the call is cancelled and the command says what it left
/// behind, instead of the process dying mid-stream without a word.
enum Interruption {
    /// The person pressed Ctrl-C (SIGINT) while the call ran.
    struct Interrupted: Error {}

    /// Runs `body`, cancelling it on SIGINT and then throwing ``Interrupted``. SIGINT keeps its usual
    /// meaning outside `body`.
    static func cancelOnInterrupt<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) async throws -> T {
        let interrupted = Mutex(false)
        let task = Task { try await body() }
        signal(SIGINT, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        source.setEventHandler {
            interrupted.withLock { $0 = true }
            task.cancel()
        }
        source.resume()
        defer {
            source.cancel()
            signal(SIGINT, SIG_DFL)
        }
        do {
            return try await withTaskCancellationHandler {
                try await task.value
            } onCancel: {
                task.cancel()
            }
        } catch {
            if interrupted.withLock({ $0 }) { throw Interrupted() }
            throw error
        }
    }
}
