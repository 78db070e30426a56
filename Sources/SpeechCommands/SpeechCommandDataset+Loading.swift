public import Foundation

extension SpeechCommandDataset {
    /// Scans `directory` (one subfolder per word, `.wav` clips inside) and decodes every clip.
    ///
    /// Hidden entries (`.DS_Store`, `._clip.wav`) and `__MACOSX/` folders left by archivers are
    /// ignored. Everything else that does not fit is a problem: files that are not `.wav`,
    /// clips that do not decode as PCM 16-bit WAV or are silent, files outside word folders,
    /// folders nested inside word folders, empty word folders, fewer than two words, and clips
    /// longer than `maxClipSeconds` (read from the WAV header, so they are never decoded).
    /// - Throws: `SpeechCommandDatasetError` listing every problem found (dataset-wide ones
    ///   first, then by path), so they can all be fixed at once.
    public static func load(from directory: URL, maxClipSeconds: Double? = nil) throws -> SpeechCommandDataset {
        // Listing a symlink does not list its target, and datasets are often linked into place.
        let directory = directory.resolvingSymlinksInPath()
        guard isDirectory(directory) else {
            throw SpeechCommandDatasetError.invalid([
                DatasetProblem(
                    path: "",
                    reason: "dataset folder not found (or not a folder): expected a folder of word folders"
                )
            ])
        }
        var problems: [DatasetProblem] = []
        var clipsByWord: [String: [PCMAudio]] = [:]
        var namesByWord: [String: [String]] = [:]
        var wordFolders: [String] = []
        for entry in visibleEntries(of: directory) {
            guard entry.isDirectory else {
                let reason =
                    entry.name.lowercased().hasSuffix(".wav")
                    ? "clip is outside any word folder; move it into a folder named after its word (<word>/<clip>.wav)"
                    : "unexpected file; the dataset's top level may only hold word folders"
                problems.append(DatasetProblem(path: entry.name, reason: reason))
                continue
            }
            let word = entry.name
            wordFolders.append(word)
            let (clips, names, clipProblems, entryCount) = loadWordFolder(entry.url, word: word, maxClipSeconds: maxClipSeconds)
            problems += clipProblems
            if entryCount == 0 {
                problems.append(
                    DatasetProblem(
                        path: "\(word)/",
                        reason: "word folder is empty; add .wav clips of \"\(word)\" or remove the folder"
                    )
                )
            }
            if !clips.isEmpty {
                clipsByWord[word] = clips
                namesByWord[word] = names
            }
        }
        if let problem = wordCountProblem(wordFolders) {
            problems.insert(problem, at: 0)
        }
        guard problems.isEmpty else { throw SpeechCommandDatasetError.invalid(bounded(problems)) }
        return try SpeechCommandDataset(clipsByWord: clipsByWord, namesByWord: namesByWord)
    }

    /// Decodes the clips in one word folder; also returns their names (file names without
    /// `.wav`) and how many visible entries the folder had.
    private static func loadWordFolder(
        _ folder: URL,
        word: String,
        maxClipSeconds: Double?
    ) -> ([PCMAudio], [String], [DatasetProblem], Int) {
        var clips: [PCMAudio] = []
        var names: [String] = []
        var problems: [DatasetProblem] = []
        let entries = visibleEntries(of: folder)
        for entry in entries {
            let path = "\(word)/\(entry.name)"
            if entry.isDirectory {
                problems.append(
                    DatasetProblem(
                        path: "\(path)/",
                        reason: "nested folder; put clips directly in \(word)/ (one folder level per word)"
                    )
                )
                continue
            }
            guard entry.name.lowercased().hasSuffix(".wav") else {
                problems.append(
                    DatasetProblem(
                        path: path,
                        reason: "not a WAV file; word folders may only hold .wav clips (RIFF/WAVE PCM 16-bit)"
                    )
                )
                continue
            }
            do {
                let data = try Data(contentsOf: entry.url)
                // From the header, before decoding: a long clip costs no decoding time.
                if let maxClipSeconds, let seconds = WAVDuration.seconds(of: data), seconds > maxClipSeconds {
                    problems.append(
                        DatasetProblem(
                            path: path,
                            reason:
                                "clip is \(WAVDuration.describe(seconds)) long; clips may be at most \(WAVDuration.describe(maxClipSeconds)) (one command each)"
                        )
                    )
                    continue
                }
                let audio = try WAVDecoder.decode(data)
                if let reason = unusableReason(audio) {
                    problems.append(DatasetProblem(path: path, reason: reason))
                } else {
                    clips.append(audio)
                    names.append(String(entry.name.dropLast(".wav".count)))
                }
            } catch let error as WAVDecodingError {
                problems.append(DatasetProblem(path: path, reason: error.message))
            } catch {
                problems.append(DatasetProblem(path: path, reason: "file could not be read"))
            }
        }
        return (clips, names, problems, entries.count)
    }

    /// `2.5`, `10`: one decimal, none when whole.
    /// At most `maximumListedProblems`, then one line saying how many more there were.
    private static func bounded(_ problems: [DatasetProblem]) -> [DatasetProblem] {
        let limit = SpeechCommandDatasetError.maximumListedProblems
        guard problems.count > limit else { return problems }
        let more = problems.count - limit
        return Array(problems.prefix(limit)) + [
            DatasetProblem(path: "", reason: "\(more) more problem\(more == 1 ? "" : "s") not listed")
        ]
    }

    private struct Entry {
        var name: String
        var url: URL
        var isDirectory: Bool
    }

    /// Entries sorted by name, without hidden files and archiver debris.
    private static func visibleEntries(of folder: URL) -> [Entry] {
        let urls = (try? FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)) ?? []
        return
            urls
            .map { Entry(name: $0.lastPathComponent, url: $0.resolvingSymlinksInPath(), isDirectory: isDirectory($0)) }
            .filter { !$0.name.hasPrefix(".") && $0.name != "__MACOSX" }
            .sorted { $0.name < $1.name }
    }

    private static func isDirectory(_ url: URL) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) && isDirectory.boolValue
    }
}
