public import Foundation

/// The Python SDK's own dataset check (snet-sdk 6.0.0, `Training._check_dataset`), rule for rule:
/// what a consumer's `upload_and_validate` through the SDK refuses before sending a byte
/// (CONTRACT.md, "The SDK's own dataset check").
///
/// The SDK opens every dataset as a zip (anything else raises before any rule is checked), then
/// lists every rule the archive breaks: its size on disk against `dataset_max_size_mb`, the number
/// of zip entries (folder entries included) against `dataset_max_count_files`, and for each entry
/// its extension (`os.path.splitext`, case-sensitive; a folder entry has none) against
/// `dataset_files_type` and its uncompressed size against `dataset_max_size_single_file_mb`. A
/// limit of 0 means none; sizes fail when strictly greater. Problems are worded as the SDK words
/// them, so a consumer sees here what the SDK would say.
///
/// ```swift
/// let verdict = try SDKDatasetCheck.check(file: url, rules: .init(method))
/// if !verdict.accepted { print(verdict.problems + verdict.advice) }
/// ```
public enum SDKDatasetCheck {
    /// The SDK whose check this is.
    public static let sdk = "snet-sdk 6.0.0"

    /// The method metadata the SDK checks against, as the daemon's `get_method_metadata` gives it.
    public struct Rules: Sendable, Hashable {
        public var maxSizeMB: UInt64
        public var maxCountFiles: UInt64
        public var maxSizeSingleFileMB: UInt64
        /// `dataset_files_type`, verbatim (the SDK parses it its own way).
        public var filesType: String

        public init(maxSizeMB: UInt64, maxCountFiles: UInt64, maxSizeSingleFileMB: UInt64, filesType: String) {
            self.maxSizeMB = maxSizeMB
            self.maxCountFiles = maxCountFiles
            self.maxSizeSingleFileMB = maxSizeSingleFileMB
            self.filesType = filesType
        }

        public init(_ method: PublishedTraining.Method) {
            self.init(
                maxSizeMB: method.datasetMaxSizeMB, maxCountFiles: method.datasetMaxCountFiles,
                maxSizeSingleFileMB: method.datasetMaxSizeSingleFileMB, filesType: method.datasetFilesType
            )
        }

        /// `[i for i in files_type.replace(" ", "").split(",")]`, empty when its first item is empty.
        var fileTypes: [String] {
            let types = filesType.replacing(" ", with: "").split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            return types.first?.isEmpty ?? true ? [] : types
        }
    }

    /// What the SDK would do with an archive.
    public struct Verdict: Sendable, Hashable, Codable {
        /// Whether the SDK would send it.
        public var accepted: Bool
        /// The list the SDK's `WrongDatasetError` would carry, in its words and order.
        public var problems: [String]
        /// Problems past ``maxListedProblems``, counted but not listed.
        public var unlistedProblems: Int
        /// The exception the SDK would raise before checking any rule, as `Type: message`
        /// (`BadZipFile: File is not a zip file` for a tar or tar.gz); nil when it read the zip.
        public var error: String?
        /// How to make an archive the SDK accepts, one line per kind of problem.
        public var advice: [String]
    }

    /// The most problems a verdict lists (one archive can break a rule per entry).
    public static let maxListedProblems = 10_000

    /// Checks `file` as the SDK would. Throws only when the file cannot be read.
    public static func check(file: URL, rules: Rules) throws -> Verdict {
        let types = rules.fileTypes
        var problems: [String] = []
        var unlisted = 0
        var kinds = Set<Advice>()
        func add(_ problem: String, _ kind: Advice) {
            kinds.insert(kind)
            if problems.count < maxListedProblems { problems.append(problem) } else { unlisted += 1 }
        }
        let path = file.path(percentEncoded: false)
        let archiveSize = (try FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.uint64Value ?? 0
        var entryCount = 0
        do {
            // ZipFile(zip_path) comes first: an archive it cannot open is refused with no rule checked.
            // The directory is read twice (count, then entries) so that no listing is held in memory.
            try PythonZipListing.forEachEntry(in: file) { _ in entryCount += 1 }
        } catch let raised as PythonZipListing.Raised {
            return Verdict(
                accepted: false, problems: [], unlistedProblems: 0, error: "\(raised.type): \(raised.message)",
                advice: [Advice.notAZip.text(types: types)]
            )
        }
        if exceeds(archiveSize, mebibytes: rules.maxSizeMB) {
            add("Too big dataset size: \(pythonMebibytes(archiveSize)) MB > \(rules.maxSizeMB) MB", .tooBig)
        }
        if rules.maxCountFiles > 0, UInt64(entryCount) > rules.maxCountFiles {
            add("Too many files: \(entryCount) > \(rules.maxCountFiles)", .tooMany)
        }
        try PythonZipListing.forEachEntry(in: file) { entry in
            let fileExtension = PythonPath.extension(of: entry.filename)
            if !types.isEmpty, !types.contains(where: { $0.unicodeScalars.elementsEqual(fileExtension.unicodeScalars) }) {
                add(
                    "Wrong file type: `\(fileExtension)` in file: `\(entry.filename)`. Allowed file types: \(types.joined(separator: ", "))",
                    Advice.kind(ofWrongType: entry.filename, extension: fileExtension, types: types)
                )
            }
            if exceeds(entry.fileSize, mebibytes: rules.maxSizeSingleFileMB) {
                add("Too big file `\(entry.filename)` size: \(pythonMebibytes(entry.fileSize)) MB > \(rules.maxSizeSingleFileMB) MB", .fileTooBig)
            }
        }
        return Verdict(
            accepted: problems.isEmpty && unlisted == 0, problems: problems, unlistedProblems: unlisted, error: nil,
            advice: Advice.allCases.filter(kinds.contains).map { $0.text(types: types) }
        )
    }

    /// `size > limit * 1024 * 1024 > 0`, with Python's unbounded integers.
    static func exceeds(_ size: UInt64, mebibytes limit: UInt64) -> Bool {
        guard limit > 0 else { return false }
        let (bytes, overflow) = limit.multipliedReportingOverflow(by: 1 << 20)
        return !overflow && size > bytes
    }

    /// `size // 1024 / 1024` as Python prints the float (shortest repr, `200.0` for whole numbers).
    static func pythonMebibytes(_ size: UInt64) -> String {
        "\(Double(size / 1024) / 1024)"
    }

    /// The kinds of refusal, each with the way out.
    enum Advice: CaseIterable, Hashable {
        case notAZip, folderEntries, upperCaseExtensions, hiddenFiles, otherTypes, tooMany, tooBig, fileTooBig

        static func kind(ofWrongType name: String, extension fileExtension: String, types: [String]) -> Advice {
            if name.hasSuffix("/") { return .folderEntries }
            if types.contains(fileExtension.lowercased()) { return .upperCaseExtensions }
            let base = name.split(separator: "/").last ?? ""
            if base.hasPrefix(".") { return .hiddenFiles }
            return .otherTypes
        }

        func text(types: [String]) -> String {
            let listed = types.joined(separator: ", ")
            switch self {
            case .notAZip:
                return
                    "the SDK opens every dataset as a zip (tar and tar.gz cannot pass through it): make a zip with snet-train pack FOLDER, or zip -r -D DATASET.zip FOLDER/"
            case .folderEntries:
                return
                    "the archive has folder entries (zip -r and python3 -m zipfile -c write them), which the SDK takes for files without an extension: zip again with zip -r -D, or use snet-train pack FOLDER"
            case .upperCaseExtensions:
                return
                    "the SDK compares extensions case-sensitively: rename the files to lower-case extensions (\(listed)), or let snet-train pack FOLDER do it"
            case .hiddenFiles:
                return "leave out hidden files (.DS_Store and the like): snet-train pack skips them; with zip, add -x '.*' '*/.*'"
            case .otherTypes:
                return "leave out the files that are not \(listed) (dataset_files_type)"
            case .tooMany:
                return "the SDK counts every zip entry, folder entries included: zip with -D, or send fewer files"
            case .tooBig:
                return "send a smaller archive (dataset_max_size_mb is the zip's size on disk)"
            case .fileTooBig:
                return "leave out or shorten the files over dataset_max_size_single_file_mb"
            }
        }
    }
}
