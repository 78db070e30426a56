import Foundation

/// Number formats of the printed tables, one place so every table reads the same.
enum Formatting {
    static func fixed(_ value: Double, _ digits: Int = 1) -> String {
        value.isFinite ? String(format: "%.\(digits)f", value) : "n/a"
    }

    static func ratio(_ value: Double) -> String { fixed(value, 2) + "x" }

    static func milliseconds(_ value: Double) -> String { fixed(value, value < 1 ? 3 : 2) + " ms" }

    static func mib(_ bytes: Int) -> String { fixed(Double(bytes) / 1_048_576) + " MiB" }

    static func signedMiB(_ bytes: Int) -> String { (bytes >= 0 ? "+" : "") + mib(bytes) }

    static func size(_ bytes: Int) -> String {
        bytes >= 1 << 30 ? "\(bytes >> 30) GiB" : bytes >= 1 << 20 ? "\(bytes >> 20) MiB" : "\(bytes >> 10) KiB"
    }

    /// A Markdown table row.
    static func row(_ cells: [String]) -> String { "| " + cells.joined(separator: " | ") + " |" }

    static func header(_ cells: [String]) -> String {
        row(cells) + "\n" + row(cells.map { _ in "---" })
    }
}
