// Prices are whole cogs in a UInt64. Configured rates times dataset sizes can exceed it; a price
// that wrapped around would be a tiny price, so every sum and product saturates at UInt64.max
// (which a configured maximum then bounds).
extension UInt64 {
    /// `self + other`, or `UInt64.max` when that does not fit.
    package func addingSaturating(_ other: UInt64) -> UInt64 {
        let (sum, overflow) = addingReportingOverflow(other)
        return overflow ? .max : sum
    }

    /// `self * other`, or `UInt64.max` when that does not fit.
    package func multipliedSaturating(by other: UInt64) -> UInt64 {
        let (product, overflow) = multipliedReportingOverflow(by: other)
        return overflow ? .max : product
    }
}
