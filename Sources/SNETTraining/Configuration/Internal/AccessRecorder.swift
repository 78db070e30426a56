import Configuration
import Synchronization

/// Remembers every key read and the last read's event: the reader's typed getters return nil for a
/// value of the wrong type, and only the access event says whether the value was absent or bad.
final class AccessRecorder: AccessReporter, Sendable {
    private let state = Mutex<(keys: Set<String>, last: AccessEvent?)>(([], nil))

    func report(_ event: AccessEvent) {
        state.withLock {
            $0.keys.insert(event.metadata.key.components.joined(separator: "."))
            $0.last = event
        }
    }

    /// Every key read so far, dotted.
    var accessedKeys: Set<String> { state.withLock { $0.keys } }

    /// The event of the most recent read.
    var lastEvent: AccessEvent? { state.withLock { $0.last } }
}
