/// The one set of bounds on a model's status detail and report, for storage and for the trailers
/// that carry them. Standard gRPC clients (grpcio, grpc-go) accept 16 KiB of metadata in all: the
/// three trailers together (the ASCII text, the base64 of the UTF-8 text, the base64 of the
/// report's JSON; base64 is 4/3 of its input) stay under 11 KiB, leaving room for the rest.
public enum StatusDetailLimits {
    /// The most of a detail's text (reason, progress, a report's text) a record keeps; longer text
    /// is cut with a note (the job's log line has it whole).
    public static let storedBytes = 16 * 1024
    /// The `status-detail` trailer (printable ASCII).
    public static let asciiTrailerBytes = 2048
    /// The `status-detail-bin` trailer (UTF-8).
    public static let binaryTrailerBytes = 3072
    /// The `status-report-bin` trailer (the report as JSON); a larger report is sent without its
    /// confusion matrix, and not at all if still larger.
    public static let reportTrailerBytes = 3072

    // A stored report (its JSON stays under 64 KiB):
    /// A report's summary.
    public static let summaryBytes = 1024
    /// Figures kept, the first ones.
    public static let figureCount = 32
    /// A figure's name.
    public static let figureNameBytes = 100
    /// A figure's shown value.
    public static let figureTextBytes = 500
    /// Labels of a confusion matrix kept (it grows as the square); a larger one is left out.
    public static let confusionLabels = 40
}
