public import Foundation
public import Logging
public import SpeechCommands

/// The model `basic_stt`, and `stt` without a model id, use: trained from the dataset the repository
/// ships (ten words, many synthetic voices) on first start, then kept in the data directory, keyed by
/// the dataset's content so a changed dataset is retrained.
public enum DefaultSpeechModel {
    public static func load(dataset: URL, cacheDirectory: URL, logger: Logger) async throws -> SpeechCommandModel {
        let key = try fingerprint(of: dataset)
        let cached = cacheDirectory.appending(path: "default-speech-model-\(key).bin")
        if let data = try? Data(contentsOf: cached), let model = try? SpeechCommandModel(serialized: data) {
            logger.info("default speech model loaded", metadata: ["words": "\(model.words.count)"])
            return model
        }
        let started = ContinuousClock.now
        let loaded = try SpeechCommandDataset.load(from: dataset)
        let model = try await SpeechCommandTrainer().train(on: loaded)
        try FileManager.default.createDirectory(at: cacheDirectory, withIntermediateDirectories: true)
        try model.serialized().write(to: cached, options: .atomic)
        logger.info(
            "default speech model trained",
            metadata: [
                "clips": "\(loaded.clipCount)", "words": "\(model.words.count)", "duration": "\(ContinuousClock.now - started)",
                "held_out_accuracy": "\(model.report.accuracy)", "held_out_clips": "\(model.report.heldOutClips.count)",
            ]
        )
        return model
    }

    /// Names, sizes and modification-free content identity: relative paths and byte counts, hashed.
    /// Cheap (no file is read) and changes whenever a clip is added, removed or resized.
    static func fingerprint(of directory: URL) throws -> String {
        let keys: [URLResourceKey] = [.fileSizeKey, .isRegularFileKey]
        guard let walker = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: keys) else {
            throw CocoaError(.fileReadNoSuchFile)
        }
        var entries: [String] = []
        for case let url as URL in walker {
            let values = try url.resourceValues(forKeys: Set(keys))
            guard values.isRegularFile == true else { continue }
            entries.append("\(url.path(percentEncoded: false).dropFirst(directory.path(percentEncoded: false).count)):\(values.fileSize ?? 0)")
        }
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325  // FNV-1a: a cache key, not a security boundary
        for byte in entries.sorted().joined(separator: "\n").utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
        }
        return String(hash, radix: 16)
    }
}
