public import Foundation
import ZIPFoundation

/// Builds real zip archives for tests from `path → contents`.
public enum ArchiveBuilder {
    public static func zip(_ entries: [String: Data], at url: URL) throws {
        try? FileManager.default.removeItem(at: url)
        let archive = try Archive(url: url, accessMode: .create)
        for (path, data) in entries.sorted(by: { $0.key < $1.key }) {
            try archive.addEntry(
                with: path, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate,
                provider: { position, size in data.subdata(in: Int(position)..<Int(position) + size) }
            )
        }
    }

    /// A zip of every regular file under `directory`, with paths relative to it.
    public static func zip(directory: URL, at url: URL) throws {
        var entries: [String: Data] = [:]
        let base = directory.standardizedFileURL.path(percentEncoded: false)
        let walker = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: [.isRegularFileKey])
        while let file = walker?.nextObject() as? URL {
            guard try file.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile == true else { continue }
            let full = file.standardizedFileURL.path(percentEncoded: false)
            entries[String(full.dropFirst(base.hasSuffix("/") ? base.count : base.count + 1))] = try Data(contentsOf: file)
        }
        try zip(entries, at: url)
    }

    /// A text-label dataset for ``TextLabelTrainer``.
    public static func textDataset(at url: URL) throws {
        try zip(
            [
                "animals/1.txt": Data("the cat and the dog ran".utf8),
                "animals/2.txt": Data("a horse a cow a cat".utf8),
                "weather/1.txt": Data("rain and snow and wind".utf8),
                "weather/2.txt": Data("sun rain cloud storm".utf8),
            ],
            at: url
        )
    }

    /// A text-label dataset of `filesPerLabel` files under each of two labels, each `bytesPerFile`
    /// long, for tests of prices and limits that grow with the dataset.
    public static func textDataset(at url: URL, filesPerLabel: Int, bytesPerFile: Int) throws {
        var entries: [String: Data] = [:]
        for (label, words) in [("animals", "cat dog horse cow "), ("weather", "rain snow wind sun ")] {
            let text = String(String(repeating: words, count: bytesPerFile / words.utf8.count + 1).prefix(bytesPerFile))
            for index in 0..<filesPerLabel { entries["\(label)/\(index).txt"] = Data(text.utf8) }
        }
        try zip(entries, at: url)
    }
}
