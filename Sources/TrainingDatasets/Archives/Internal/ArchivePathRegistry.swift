/// Remembers every path extracted so far, to refuse duplicates, names that collide once case is
/// ignored (Unicode-aware lower-casing; `String` equality also merges NFC and NFD spellings), and
/// files that clash with directories.
struct ArchivePathRegistry {
    /// Folded path -> path as first seen.
    private var files: [String: String] = [:]
    private var directories: [String: String] = [:]

    /// Records a file; returns why it conflicts with an earlier entry, if it does.
    mutating func addFile(components: [String]) -> String? {
        if let conflict = self.addAncestors(of: components) {
            return conflict
        }
        let path = components.joined(separator: "/")
        let key = Self.fold(path)
        if let earlier = self.files[key] {
            return earlier.utf8.elementsEqual(path.utf8)
                ? "the archive contains this file more than once"
                : Self.collision(with: earlier)
        }
        if let directory = self.directories[key] {
            return "a directory '\(directory)' has the same name"
        }
        self.files[key] = path
        return nil
    }

    /// Records a directory (listing one twice is harmless); returns why it conflicts, if it does.
    mutating func addDirectory(components: [String]) -> String? {
        self.addAncestors(of: components + [""])
    }

    /// Records every proper ancestor of `components` (all but the last) as a directory.
    private mutating func addAncestors(of components: [String]) -> String? {
        var path = ""
        for component in components.dropLast() {
            path = path.isEmpty ? component : path + "/" + component
            let key = Self.fold(path)
            if let file = self.files[key] {
                return "'\(path)' would have to be a directory, but the archive also has a file '\(file)'"
            }
            if let earlier = self.directories[key] {
                if !earlier.utf8.elementsEqual(path.utf8) {
                    return "the directory '\(path)' " + Self.collision(with: earlier)
                }
            } else {
                self.directories[key] = path
            }
        }
        return nil
    }

    private static func fold(_ path: String) -> String {
        path.lowercased()
    }

    private static func collision(with earlier: String) -> String {
        "collides with '\(earlier)': the names differ only in letter case or Unicode normalization, "
            + "so one would overwrite the other on many systems"
    }
}
