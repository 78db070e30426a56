public import Foundation

// The report's one wire and storage form: JSON with sorted keys (`summary`, `figures` as
// `{name, number?, shown}`, `confusion` as `{labels, counts}`).
extension TrainingReport {
    /// The report as JSON.
    public func json() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        // Every field is a string, a finite number or a list of them: encoding cannot fail.
        return (try? encoder.encode(self)) ?? Data()
    }

    /// A report read from ``json()``'s form.
    public init(json: Data) throws {
        self = try JSONDecoder().decode(TrainingReport.self, from: json)
    }

    /// The JSON for the `status-report-bin` trailer, within ``StatusDetailLimits/reportTrailerBytes``:
    /// a report too large loses its confusion matrix, then its last figures, until it fits (the
    /// stored report keeps them all, for the dashboard); nil if even its summary does not fit.
    public func trailerJSON() -> Data? {
        var smaller = self
        var encoded = smaller.json()
        if encoded.count > StatusDetailLimits.reportTrailerBytes, smaller.confusion != nil {
            smaller.confusion = nil
            encoded = smaller.json()
        }
        while encoded.count > StatusDetailLimits.reportTrailerBytes, !smaller.figures.isEmpty {
            smaller.figures.removeLast()
            encoded = smaller.json()
        }
        return encoded.count <= StatusDetailLimits.reportTrailerBytes ? encoded : nil
    }
}
