import Foundation

/// The folder most archivers put around a dataset: `zip -r mydata.zip mydata/` stores
/// `mydata/yes/1.wav`, not `yes/1.wav`. Uploaders rarely mean that folder as part of the dataset,
/// so an extracted dataset whose only top-level entry is a folder holding at least one folder loses
/// it. A single folder of files (`yes/*.wav`, a one-label dataset) is left as it is, so the trainer
/// still explains what is missing.
enum DatasetWrapperFolder {
    /// Moves the wrapper's content up into `directory`, keeping `directory`'s path: the model's
    /// records point at it.
    static func remove(from directory: URL) throws {
        let manager = FileManager.default
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

    private static func isDirectory(_ url: URL) -> Bool {
        (try? url.resourceValues(forKeys: [.isDirectoryKey]).isDirectory) == true
    }
}
