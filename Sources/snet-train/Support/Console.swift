import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Where a command's results go: text for people, or one JSON object per result for scripts.
/// Results go to standard output; progress, warnings and errors to standard error, so that
/// `snet-train create ... | xargs` and `--json | jq` see only results.
struct Console: Sendable {
    let json: Bool

    /// Whether standard error is a terminal (progress bars redraw in place only there).
    static var errorIsTerminal: Bool { isatty(STDERR_FILENO) == 1 }

    /// Prints a result: `value` as one JSON line with `--json`, else `text`'s lines.
    func result<T: Encodable>(_ value: T, text: @autoclosure () -> [String]) {
        if json {
            Self.write(Self.encode(value) + "\n", to: .standardOutput)
        } else {
            let lines = text()
            if !lines.isEmpty { Self.write(lines.joined(separator: "\n") + "\n", to: .standardOutput) }
        }
    }

    /// A line for people on standard error (never in `--json` mode, where results say it all).
    func note(_ line: String) {
        guard !json else { return }
        Self.write(line + "\n", to: .standardError)
    }

    static func encode<T: Encodable>(_ value: T) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(value) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }

    /// Unbuffered, so a line is out even if the process is killed right after.
    static func write(_ text: String, to handle: FileHandle) {
        handle.write(Data(text.utf8))
    }
}
