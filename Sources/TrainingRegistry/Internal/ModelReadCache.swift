import Synchronization
import TrainingCore

/// Model records recently read, for a registry whose every write goes through this process (a
/// SQLite file; see `SQLSessionProvider.hasSingleWriter`), so that `get_model_status` pollers do not
/// each cost a database round trip.
///
/// Coherent by construction: every write transaction, committed or not, bumps a generation and
/// drops every entry; a read is cached only under the generation it started in, and a hit only
/// counts while no write has finished since. A read that starts after a write returned therefore
/// never sees the state before it. Bounded: at most `capacity` records (then it starts over).
final class ModelReadCache: Sendable {
    private struct Entry {
        var record: ModelRecord
        var generation: UInt64
    }

    private struct State {
        var generation: UInt64 = 0
        var entries: [String: Entry] = [:]
    }

    private let state = Mutex(State())
    private let capacity: Int

    init(capacity: Int = 4096) {
        self.capacity = capacity
    }

    /// The generation a read starting now belongs to; take it before reading the store.
    func currentGeneration() -> UInt64 {
        state.withLock { $0.generation }
    }

    func record(id: String) -> ModelRecord? {
        state.withLock { state in
            guard let entry = state.entries[id], entry.generation == state.generation else { return nil }
            return entry.record
        }
    }

    /// Keeps `record`, read in `generation`, unless a write has finished since.
    func keep(_ record: ModelRecord, readIn generation: UInt64) {
        state.withLock { state in
            guard generation == state.generation else { return }
            if state.entries.count >= capacity { state.entries.removeAll(keepingCapacity: true) }
            state.entries[record.id] = Entry(record: record, generation: generation)
        }
    }

    /// Called when a write transaction ends: everything read before may be stale.
    func invalidate() {
        state.withLock { state in
            state.generation &+= 1
            state.entries.removeAll(keepingCapacity: true)
        }
    }
}
