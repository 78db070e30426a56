/// A byte count for people: "512 bytes", "10 MiB (10485760 bytes)".
struct ByteCount: CustomStringConvertible {
    var bytes: UInt64

    init(_ bytes: UInt64) {
        self.bytes = bytes
    }

    var description: String {
        guard self.bytes >= 1024 else { return self.bytes == 1 ? "1 byte" : "\(self.bytes) bytes" }
        let units = ["KiB", "MiB", "GiB", "TiB", "PiB", "EiB"]
        var value = Double(self.bytes) / 1024
        var unit = 0
        while value >= 1024, unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        let tenths = (value * 10).rounded() / 10
        let number = tenths == tenths.rounded() ? String(Int(tenths)) : String(tenths)
        return "\(number) \(units[unit]) (\(self.bytes) bytes)"
    }
}
