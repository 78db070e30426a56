import Foundation
import TrainingCore

/// The folder most archivers put around a dataset: `zip -r mydata.zip mydata/` stores
/// `mydata/yes/1.wav`, not `yes/1.wav`. Uploaders rarely mean that folder as part of the dataset,
/// so an extracted dataset whose only top-level entry is a folder holding at least one folder loses
/// it. A single folder of files (`yes/*.wav`, a one-label dataset) is left as it is, so the trainer
/// still explains what is missing.
enum DatasetWrapperFolder {
    /// Moves the wrapper's content up into `directory`, keeping `directory`'s path: the model's
    /// records point at it.
    ///
    /// An archive made from a full path (`zip -r deep.zip /tmp/x/words` stores `tmp/x/words/…`, and
    /// `tar` strips the leading `/` the same way) puts the dataset under two or more folders that
    /// each hold only the next one: that is refused as such, with the command that makes the
    /// archive right, instead of a trainer's puzzling "only one folder (x)".
    static func remove(from directory: URL) throws {
        let manager = FileManager.default
        if let chain = try fullPathChain(in: directory) { throw DatasetRejected(fullPathAdvice(chain)) }
        let top = try manager.contentsOfDirectory(at: directory, includingPropertiesForKeys: [.isDirectoryKey])
        guard top.count == 1, let wrapper = top.first, isDirectory(wrapper) else { return }
        let inside = try manager.contentsOfDirectory(at: wrapper, includingPropertiesForKeys: [.isDirectoryKey])
        guard inside.contains(where: isDirectory) else { return }
        // Renames within one folder tree: no data is copied, however large the dataset.
        let parked = directory.deletingLastPathComponent().appending(path: ".unwrap-" + UUID().uuidString.lowercased())
        try manager.moveItem(at: wrapper, to: parked)
        do {
            try manager.removeItem(at: directory)
            try manager.moveItem(at: parked, to: directory)
        } catch {
            try? manager.removeItem(at: parked)
            throw error
        }
    }

    /// The folders above the dataset's own folder when an archive was made from a full path:
    /// `["tmp", "x"]` and `"words"` for `tmp/x/words/{yes,no}/…`; nil for any other tree. The chain
    /// of folders that are each their parent's only entry ends at the dataset's folder (the one
    /// holding folders), or one above a last folder of files only (`words` in `words/yes/*.wav`, a
    /// one-label dataset the trainer explains); any folder above the dataset's folder is a path
    /// the archive should not have stored.
    static func fullPathChain(in directory: URL) throws -> (above: [String], dataset: String)? {
        var chain: [String] = []
        var current = directory
        var lastHoldsFolders = false
        while true {
            let entries = try FileManager.default.contentsOfDirectory(at: current, includingPropertiesForKeys: [.isDirectoryKey])
            lastHoldsFolders = entries.contains(where: isDirectory)
            guard entries.count == 1, let only = entries.first, isDirectory(only) else { break }
            chain.append(only.lastPathComponent)
            current = only
        }
        let datasetIndex = lastHoldsFolders ? chain.count - 1 : chain.count - 2
        guard datasetIndex >= 1 else { return nil }
        return (Array(chain[..<datasetIndex]), chain[datasetIndex])
    }

    /// What the consumer reads: where every file is, and how to make the archive from the dataset's own folder.
    static func fullPathAdvice(_ chain: (above: [String], dataset: String)) -> String {
        let above = chain.above.joined(separator: "/")
        return
            "Every file in the archive is under \(above)/\(chain.dataset)/: the archive was made from a full path (zip -r \(chain.dataset).zip /\(above)/\(chain.dataset) stores that path without its leading /, and so does tar), so the dataset's folders are not at its top. Make it from the folder that holds \(chain.dataset) instead: cd /\(above) && zip -r -D \(chain.dataset).zip \(chain.dataset)"
    }

    private static func isDirectory(_ url: URL) -> Bool {
        (try? url.resourceValues(forKeys: [.isDirectoryKey]).isDirectory) == true
    }
}
