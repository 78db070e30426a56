/// An entry's stored name, judged and normalised.
enum EntryName: Equatable {
    /// macOS metadata (`__MACOSX/…`, `._*`, `.DS_Store`): skipped, never counted.
    case junk
    /// The archive root itself (`./`), which tar often lists: skipped.
    case root
    /// A name that must not be extracted.
    case invalid(display: String, reason: String)
    /// A safe relative path: `components` joined by `/`, without empty or `.` components.
    case valid(path: String, components: [String], endsWithSlash: Bool)

    static let maxComponentBytes = 255
    static let maxPathBytes = 1024

    init(_ raw: [UInt8]) {
        guard !raw.isEmpty else {
            self = .invalid(display: "(empty name)", reason: "the entry has an empty name")
            return
        }
        let display = Self.display(raw)
        guard !raw.contains(0) else {
            self = .invalid(display: display, reason: "the name contains a NUL byte")
            return
        }
        guard let decoded = String(validating: raw, as: UTF8.self) else {
            self = .invalid(
                display: display,
                reason: "the name is not valid UTF-8; re-create the archive with UTF-8 file names"
            )
            return
        }
        // Windows tools sometimes write `\` as the separator; treating it as one also stops
        // `..\..\x` from slipping past the `..` check.
        let text = decoded.replacingBackslashes()
        let components = text.split(separator: "/", omittingEmptySubsequences: true)
            .map(String.init)
            .filter { $0 != "." }
        if components.first == "__MACOSX" || components.last == ".DS_Store"
            || components.last?.hasPrefix("._") == true
        {
            self = .junk
            return
        }
        if text.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
            self = .invalid(display: display, reason: "the name contains control characters")
        } else if text.hasPrefix("/") || components.first.map(Self.isDriveLetter) == true {
            self = .invalid(
                display: display,
                reason:
                    "absolute paths are not allowed (the archive was made with full paths, as tar -P does); make it from the folder that holds the dataset's folder, e.g. cd /tmp/x && zip -r -D words.zip words"
            )
        } else if components.contains("..") {
            self = .invalid(
                display: display,
                reason: "'..' is not allowed in a path: it could write outside the dataset folder"
            )
        } else if components.isEmpty {
            self = .root
        } else if components.contains(where: { $0.utf8.count > Self.maxComponentBytes }) {
            self = .invalid(
                display: display,
                reason: "a name in the path is longer than \(Self.maxComponentBytes) bytes"
            )
        } else if text.utf8.count > Self.maxPathBytes {
            self = .invalid(display: display, reason: "the path is longer than \(Self.maxPathBytes) bytes")
        } else {
            self = .valid(
                path: components.joined(separator: "/"),
                components: components,
                endsWithSlash: text.hasSuffix("/")
            )
        }
    }

    /// `C:` and the like.
    private static func isDriveLetter(_ component: String) -> Bool {
        let scalars = Array(component.unicodeScalars.prefix(2))
        return scalars.count == 2 && scalars[0].isASCII && scalars[0].properties.isAlphabetic && scalars[1] == ":"
    }

    /// A printable form of a raw name for messages: control characters and bytes that are not UTF-8
    /// escaped, long names shortened.
    static func display(_ raw: [UInt8]) -> String {
        var text = ""
        if let decoded = String(validating: raw, as: UTF8.self) {
            for scalar in decoded.unicodeScalars {
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    text += "\\u{\(String(scalar.value, radix: 16))}"
                } else {
                    text.unicodeScalars.append(scalar)
                }
            }
        } else {
            for byte in raw {
                if (0x20..<0x7F).contains(byte) {
                    text.unicodeScalars.append(Unicode.Scalar(byte))
                } else {
                    text += "\\x" + (byte < 0x10 ? "0" : "") + String(byte, radix: 16)
                }
            }
        }
        let limit = 200
        guard text.count > limit else { return text }
        return String(text.prefix(limit)) + "…"
    }
}

extension String {
    fileprivate func replacingBackslashes() -> String {
        guard self.utf8.contains(UInt8(ascii: "\\")) else { return self }
        return String(self.map { $0 == "\\" ? "/" : $0 })
    }
}
