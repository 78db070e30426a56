/// The environment variable name swift-configuration's `EnvironmentVariablesProvider` reads for a
/// key (its documented rule): components joined by `_`, a `_` between a lower-case letter and an
/// upper-case one, upper-cased, anything not a letter or digit replaced by `_`.
enum EnvironmentName {
    static func of(_ components: [String]) -> String {
        components.map { component in
            var words = ""
            var previous: Character?
            for character in component {
                if let previous, previous.isLowercase, character.isUppercase { words.append("_") }
                words.append(character)
                previous = character
            }
            return String(words.uppercased().map { $0.isLetter || $0.isNumber ? $0 : "_" })
        }
        .joined(separator: "_")
    }
}
