public import Foundation
public import SNETTraining

/// The `classify` method's ``Trainer``: SNETTraining calls it from its background jobs, after the
/// uploaded archive has been extracted and checked against the method's `training.*` limits.
///
/// A dataset is a folder per label holding `.txt` files, one example text each.
public struct TextTrainer: Trainer {
    public typealias Model = TextModel

    public init() {}

    /// Judges the dataset: a thrown ``DatasetRejected`` ends the model ERRORED with its reason, which
    /// the consumer reads in the model's status.
    public func validate(dataset: URL, method: TrainableMethod, progress: ProgressReporter) async throws -> String {
        let examples = try Self.examples(in: dataset)
        return "Dataset is valid: \(Self.summary(of: examples))."
    }

    /// Counts words per label and writes the model to `artifact`. Runs on the job threads, so it may
    /// take its time; it checks for cancellation (a deleted model, a shutdown) between texts.
    public func train(dataset: URL, method: TrainableMethod, artifact: URL, progress: ProgressReporter) async throws -> String {
        let examples = try Self.examples(in: dataset)
        var model = TextModel(labels: examples.map(\.label), textCounts: [], wordCounts: [], vocabularySize: 0)
        var vocabulary = Set<String>()
        for (index, example) in examples.enumerated() {
            var counts: [String: Int] = [:]
            for file in example.files {
                try Task.checkCancellation()
                for word in TextModel.words(in: try Self.text(of: file)) { counts[word, default: 0] += 1 }
            }
            vocabulary.formUnion(counts.keys)
            model.textCounts.append(example.files.count)
            model.wordCounts.append(counts)
            progress("Training: \(index + 1) of \(examples.count) labels counted.")
        }
        model.vocabularySize = vocabulary.count
        try JSONEncoder().encode(model).write(to: artifact, options: .atomic)
        return "Trained on \(Self.summary(of: examples)); \(vocabulary.count) distinct words."
    }

    /// Reads a model written by ``train(dataset:method:artifact:progress:)``; SNETTraining keeps the
    /// recently used ones in memory.
    public func loadModel(artifact: URL) async throws -> TextModel {
        try JSONDecoder().decode(TextModel.self, from: Data(contentsOf: artifact))
    }

    /// The `.txt` files of each label folder, or every problem found, named.
    static func examples(in dataset: URL) throws -> [(label: String, files: [URL])] {
        let manager = FileManager.default
        let folders = try manager.contentsOfDirectory(at: dataset, includingPropertiesForKeys: [.isDirectoryKey], options: .skipsHiddenFiles)
            .filter { (try? $0.resourceValues(forKeys: [.isDirectoryKey]).isDirectory) == true }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
        var examples: [(label: String, files: [URL])] = []
        var problems: [String] = []
        for folder in folders {
            let files = try manager.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil, options: .skipsHiddenFiles)
                .filter { $0.pathExtension == "txt" }
                .sorted { $0.lastPathComponent < $1.lastPathComponent }
            if files.isEmpty { problems.append("folder '\(folder.lastPathComponent)' has no .txt file") }
            for file in files where (try? text(of: file))?.contains(where: { $0.isLetter || $0.isNumber }) != true {
                problems.append("'\(folder.lastPathComponent)/\(file.lastPathComponent)' is not UTF-8 text with words in it")
            }
            examples.append((folder.lastPathComponent, files))
        }
        if examples.count < 2 { problems.insert("it needs at least two label folders, found \(examples.count)", at: 0) }
        guard problems.isEmpty else {
            let shown = problems.prefix(10).joined(separator: "; ")
            let more = problems.count > 10 ? " (and \(problems.count - 10) more)" : ""
            throw DatasetRejected("The dataset is not usable: \(shown)\(more). Send a zip of <label>/<name>.txt files.")
        }
        return examples
    }

    static func text(of file: URL) throws -> String {
        guard let text = String(data: try Data(contentsOf: file), encoding: .utf8) else { throw CocoaError(.fileReadInapplicableStringEncoding) }
        return text
    }

    static func summary(of examples: [(label: String, files: [URL])]) -> String {
        "\(examples.count) labels, \(examples.reduce(0) { $0 + $1.files.count }) texts: "
            + examples.map { "\($0.label) (\($0.files.count))" }.joined(separator: ", ")
    }
}
