/// Python's `os.path.splitext` on POSIX, by Unicode scalar as Python indexes strings.
enum PythonPath {
    /// The extension `os.path.splitext(name)` finds, without its dot: the text after the last dot of
    /// the last path component, unless that dot only starts leading dots (`.bashrc`, `..`); "" when
    /// there is none (`words/`, `README`).
    static func `extension`(of name: String) -> String {
        let scalars = Array(name.unicodeScalars)
        let separator = scalars.lastIndex(of: "/") ?? -1
        guard let dot = scalars.lastIndex(of: "."), dot > separator else { return "" }
        var index = separator + 1
        while index < dot {
            if scalars[index] != "." {
                var result = String.UnicodeScalarView()
                result.append(contentsOf: scalars[(dot + 1)...])
                return String(result)
            }
            index += 1
        }
        return ""
    }
}
