import TrainingCore

/// The problems for keys in a configuration file that nothing read. A `methods.<name>` section whose
/// name is not a trainable method is one problem naming the method, not one per key inside it: a
/// typo in the name (`sst`) is the mistake, not every setting under it.
enum UnknownKeys {
    static func problems(_ unused: [String], methodSections: [String]) -> [ConfigurationError.Problem] {
        var problems: [ConfigurationError.Problem] = []
        var reportedSections: Set<String> = []
        let known = methodSections.map { "methods.\($0)." }
        for key in unused {
            if key.hasPrefix("methods."), !known.contains(where: key.hasPrefix) {
                let section = unknownSection(in: key, methodSections: methodSections)
                guard reportedSections.insert(section).inserted else { continue }
                let trainable = methodSections.sorted().joined(separator: ", ")
                let guess = closest(to: section, in: methodSections).map { "; did you mean \($0)?" } ?? "."
                problems.append(
                    .init(
                        key: "methods.\(section)",
                        message: "no trainable method `\(section)` (trainable: \(trainable.isEmpty ? "none" : trainable))\(guess)"
                    )
                )
            } else {
                problems.append(.init(key: key, message: notASetting))
            }
        }
        return problems
    }

    /// What is wrong with a key in the file, or a variable, that nothing reads.
    static let notASetting = "is not a setting this service reads (misspelt, or not used by the chosen policy); remove it or fix its name."

    /// The section name in `methods.<section>.<setting…>`. A section may itself contain dots
    /// (`service.ExampleService/stt`), so the name runs up to the `/`'s component when there is one.
    private static func unknownSection(in key: String, methodSections: [String]) -> String {
        let parts = key.split(separator: ".").dropFirst().map(String.init)
        if let slash = parts.firstIndex(where: { $0.contains("/") }) {
            return parts[...slash].joined(separator: ".")
        }
        return parts.first ?? ""
    }

    private static func closest(to name: String, in candidates: [String]) -> String? {
        Spelling.closest(to: name, in: candidates, slack: 1)
    }
}
