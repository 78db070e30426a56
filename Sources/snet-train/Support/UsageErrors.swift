import ArgumentParser
import Foundation
import TrainingCore

/// Command-line mistakes found before ArgumentParser sees them, and the one-line report of every
/// usage error: a typo'd subcommand or flag is named with the closest real one, and `--json`
/// gets a JSON error on standard output like any other failure.
enum UsageErrors {
    /// The first mistake ArgumentParser would report less helpfully: an unknown subcommand (it
    /// calls that an unexpected argument), or an unknown `--flag` (hidden behind "missing
    /// expected argument" when the typo is in a required one).
    static func problem(in arguments: [String], subcommands: [any ParsableCommand.Type]) -> String? {
        guard let first = arguments.first, !first.hasPrefix("-"), first != "help" else { return nil }
        let names = subcommands.map(commandName(of:))
        guard let index = names.firstIndex(of: first) else {
            let guess = closest(to: first, in: names).map { " Did you mean '\($0)'?" } ?? ""
            return "'\(first)' is not a snet-train command.\(guess) Commands: \(names.joined(separator: ", "))."
        }
        let known = flags(of: subcommands[index])
        for argument in arguments.dropFirst() {
            if argument == "--" { break }
            guard argument.hasPrefix("--") else { continue }
            let flag = String(argument.prefix { $0 != "=" })
            if known.contains(flag) { continue }
            let guess = closest(to: flag, in: known.sorted()).map { " Did you mean \($0)?" } ?? ""
            return "\(first) has no option \(flag).\(guess) See snet-train \(first) --help."
        }
        return nil
    }

    static func commandName(of command: any ParsableCommand.Type) -> String {
        command._commandName
    }

    /// The `--long` names a subcommand accepts, read from its help (so they never drift from it).
    static func flags(of command: any ParsableCommand.Type) -> Set<String> {
        let help = command.helpMessage(includeHidden: true, columns: 1_000)
        var found: Set<String> = ["--help"]
        var current = ""
        for character in help + " " {
            if character.isLetter || character.isNumber || character == "-" {
                current.append(character)
            } else {
                if current.hasPrefix("--"), current.count > 2 { found.insert(current) }
                current = ""
            }
        }
        return found
    }

    /// The candidate at the smallest edit distance, if it is close enough to be a typo.
    static func closest(to word: String, in candidates: [String]) -> String? {
        Spelling.closest(to: word, in: candidates, slack: 2)
    }

    /// Reports a usage error as every other failure is reported, and exits with 64.
    static func fail(_ message: String, json: Bool) -> Never {
        let oneLine = CommandFailure.oneLine(message)
        let text = oneLine.hasSuffix(".") || oneLine.hasSuffix("?") ? oneLine : oneLine + "."
        report(CommandFailure(status: .usage, code: "USAGE", message: text), on: Console(json: json))
        exit(ExitStatus.usage.rawValue)
    }
}
