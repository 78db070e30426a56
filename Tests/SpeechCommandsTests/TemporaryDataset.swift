import Foundation

/// A dataset folder under the system temporary directory, removed when the test is done.
struct TemporaryDataset: ~Copyable {
    let root: URL

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("speech-dataset-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: root) }

    /// Writes `contents` at `path` (relative, e.g. `yes/a.wav`), creating folders on the way.
    func write(_ path: String, _ contents: Data) throws {
        let url = root.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try contents.write(to: url)
    }

    func makeFolder(_ path: String) throws {
        try FileManager.default.createDirectory(
            at: root.appendingPathComponent(path),
            withIntermediateDirectories: true
        )
    }

    /// A short, valid, non-silent clip.
    static let toneWAV = WAVBytes.mono(
        WAVBytes.sine(frequency: 440, sampleRate: 16_000, count: 4_000),
        sampleRate: 16_000
    )
}
