import Foundation

/// Follows a trainer's standard output written to a file (on shared storage, by a job elsewhere):
/// each look reads what was appended since the last, as JSON lines.
struct OutputFileFollower {
    let file: URL
    let phase: String
    private var offset: UInt64 = 0
    private var splitter = LineSplitter(maxLineBytes: TrainerProcess.maxLineBytes)
    private(set) var output = TrainerOutput()

    init(file: URL, phase: String) {
        self.file = file
        self.phase = phase
    }

    /// Reads what is new; passes on each status detail it changes.
    mutating func look(progress: (String) -> Void) {
        guard let handle = try? FileHandle(forReadingFrom: file) else { return }
        defer { try? handle.close() }
        guard let end = try? handle.seekToEnd() else { return }
        if end < offset { self = OutputFileFollower(file: file, phase: phase) }  // a new attempt's file
        guard end > offset, (try? handle.seek(toOffset: offset)) != nil else { return }
        // At most a few MiB a look: a trainer printing without end cannot grow the gateway.
        guard let data = try? handle.read(upToCount: Int(min(end - offset, 4 * 1024 * 1024))) else { return }
        offset += UInt64(data.count)
        for line in data.withUnsafeBytes({ splitter.feed($0) }) {
            if let detail = output.consume(line, phase: phase) { progress(detail) }
        }
    }

    /// After the trainer ended: the last line, if it had no line feed.
    mutating func finish(progress: (String) -> Void) {
        look(progress: progress)
        if let line = splitter.finish(), let detail = output.consume(line, phase: phase) { progress(detail) }
    }

    /// The last bytes of a file (the trainer's standard error), for the reason of a failure.
    static func tail(of file: URL, bytes: Int) -> OutputTail {
        var tail = OutputTail(capacity: bytes)
        guard let handle = try? FileHandle(forReadingFrom: file) else { return tail }
        defer { try? handle.close() }
        let end = (try? handle.seekToEnd()) ?? 0
        try? handle.seek(toOffset: end > UInt64(bytes) ? end - UInt64(bytes) : 0)
        if let data = try? handle.readToEnd() { data.withUnsafeBytes { tail.append($0) } }
        return tail
    }
}
