import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The files of a dataset folder as `snet-train pack` stores them: regular files (a symbolic link
/// to one counts as one), by path relative to the folder, hidden files and folders (`.DS_Store`,
/// `._x.wav`, `.git/`) and `__MACOSX/` left out, names read as bytes so that a name that is not
/// UTF-8 is caught rather than garbled.
struct DatasetFolderWalk {
    struct File {
        /// Path components below the folder.
        var components: [String]
        var url: URL
        var size: UInt64
    }

    var files: [File] = []
    /// What was left out, relative paths, with why.
    var skipped: [String] = []
    /// Names that cannot be stored (not UTF-8), and folders that could not be read.
    var problems: [String] = []
    /// Set when more files were found than `maxFiles`: the walk stopped there.
    var stoppedAtLimit = false

    /// Walks `root`, keeping at most `maxFiles + 1` files (enough to say the folder has too many).
    init(root: URL, maxFiles: Int) {
        walk(root, components: [], maxFiles: maxFiles)
        files.sort { $0.components.lexicographicallyPrecedes($1.components) }
    }

    private mutating func walk(_ folder: URL, components: [String], maxFiles: Int) {
        let path = folder.path(percentEncoded: false)
        guard let directory = opendir(path) else {
            problems.append("\(Self.shown(components, "")): cannot read the folder (\(String(cString: strerror(errno))))")
            return
        }
        defer { closedir(directory) }
        var names: [[UInt8]] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in Array(raw.prefix { $0 != 0 }) }
            if name == [UInt8(ascii: ".")] || name == [UInt8(ascii: "."), UInt8(ascii: ".")] { continue }
            names.append(name)
        }
        for bytes in names.sorted(by: { $0.lexicographicallyPrecedes($1) }) {
            guard !stoppedAtLimit else { return }
            guard let name = String(validating: bytes, as: UTF8.self) else {
                problems.append(
                    "\(Self.shown(components, String(decoding: bytes, as: UTF8.self))): the name is not UTF-8; rename it (the SDK and the server read names as UTF-8)"
                )
                continue
            }
            let relative = Self.shown(components, name)
            if name.hasPrefix(".") || name == "__MACOSX" {
                skipped.append("\(relative) (hidden or macOS metadata)")
                continue
            }
            let url = folder.appending(path: name, directoryHint: .notDirectory)
            let filePath = url.path(percentEncoded: false)
            guard var attributes = try? FileManager.default.attributesOfItem(atPath: filePath) else {
                problems.append("\(relative): cannot read it")
                continue
            }
            let isLink = attributes[.type] as? FileAttributeType == .typeSymbolicLink
            if isLink {
                guard let target = try? FileManager.default.attributesOfItem(atPath: url.resolvingSymlinksInPath().path(percentEncoded: false)) else {
                    skipped.append("\(relative) (a symbolic link to nothing)")
                    continue
                }
                attributes = target
            }
            switch attributes[.type] as? FileAttributeType {
            case .typeRegular?:
                if files.count > maxFiles {
                    stoppedAtLimit = true
                    return
                }
                let size = (attributes[.size] as? NSNumber)?.uint64Value ?? 0
                files.append(File(components: components + [name], url: url, size: size))
            case .typeDirectory? where !isLink:
                walk(url, components: components + [name], maxFiles: maxFiles)
            case .typeDirectory?:
                skipped.append("\(relative)/ (a symbolic link to a folder, not followed)")
            default:
                skipped.append("\(relative) (not a regular file)")
            }
        }
    }

    private static func shown(_ components: [String], _ name: String) -> String {
        (components + [name]).filter { !$0.isEmpty }.joined(separator: "/")
    }
}
