import Foundation

extension UInt64 {
    /// This many bytes in MiB, for a message: two decimals under 10 MiB (`0.50 MiB`), whole MiB
    /// above (`200 MiB`), the unit `dataset_max_size_mb` is read in.
    public var mebibytesForMessage: String {
        let value = Double(self) / 1_048_576
        return value < 10 ? String(format: "%.2f MiB", value) : "\(Int(value.rounded())) MiB"
    }
}
