extension String {
    /// This text, cut at a character boundary if needed so that it fits `maxBytes` of UTF-8
    /// together with a note saying how much was left out. Reports and reasons are bounded this
    /// way before they are stored or sent, so a long one cannot break a consumer's client.
    public func bounded(toUTF8Bytes maxBytes: Int) -> String {
        guard utf8.count > maxBytes else { return self }
        var kept = Substring(self)
        let omitted = { (kept: Substring) in " ... [\(self.count - kept.count) more characters not shown]" }
        while !kept.isEmpty, kept.utf8.count + omitted(kept).utf8.count > maxBytes {
            // Drop in large steps first: a megabyte report must not cost a character at a time.
            let excess = kept.utf8.count + omitted(kept).utf8.count - maxBytes
            kept = kept.dropLast(Swift.max(1, Swift.min(kept.count, excess / 4)))
        }
        return String(kept) + omitted(kept)
    }

    /// Caller input quoted for an error message: at most `limit` characters, with the input's full
    /// length when it was cut, so an echo can never make a message (and the trailer carrying it)
    /// larger than a client accepts.
    public func quotedForMessage(limit: Int = 48) -> String {
        guard count > limit else { return "'\(self)'" }
        return "'\(prefix(limit))…' (\(utf8.count) bytes)"
    }

    /// A caller-controlled value for a log line, bounded like an error message: unchanged when it
    /// is at most `limit` characters of printable text, otherwise quoted with its first `limit`
    /// characters and its full length, control characters escaped. One call can then neither write
    /// a line of megabytes nor forge a second line.
    public func boundedForLog(limit: Int = 48) -> String {
        let isControl = { (scalar: Unicode.Scalar) in scalar.properties.generalCategory == .control }
        let long = utf8.count > limit && count > limit
        if !long, !unicodeScalars.contains(where: isControl) { return self }
        let kept = prefix(limit).unicodeScalars.map { isControl($0) ? $0.escaped(asASCII: true) : String($0) }.joined()
        return long ? "'\(kept)…' (\(utf8.count) bytes)" : "'\(kept)'"
    }
}
