import Foundation
import Testing
import TrainingCore

/// The typed report: its text, its bounds (``StatusDetailLimits``) and its JSON, in one place for
/// storage and trailers.
@Suite("Training reports")
struct TrainingReportTests {
    static func figures(_ count: Int, textBytes: Int = 10) -> [TrainingReport.Figure] {
        (0..<count).map { TrainingReport.Figure("Figure \($0)", text: String(repeating: "x", count: textBytes)) }
    }

    @Test("the text is the summary, then one line per figure")
    func text() {
        let report = TrainingReport("2 labels, 4 texts", figures: [.init("Accuracy", number: 0.5, shown: "50 %"), .init("Note", text: "fine")])
        #expect(report.text() == "2 labels, 4 texts\nAccuracy: 50 %\nNote: fine")
    }

    @Test("a long text is cut at its limit with a note of what was left out; the summary, first, survives")
    func textLimit() {
        let report = TrainingReport("Summary first", figures: Self.figures(100, textBytes: 400))
        let text = report.text(limit: StatusDetailLimits.asciiTrailerBytes)
        #expect(text.utf8.count <= StatusDetailLimits.asciiTrailerBytes)
        #expect(text.hasPrefix("Summary first\n") && text.hasSuffix("more characters not shown]"), "\(text.suffix(80))")
    }

    @Test("bounded() keeps a stored report within the limits of each part")
    func bounded() throws {
        let labels = (0...StatusDetailLimits.confusionLabels).map { "w\($0)" }
        let square = try #require(ConfusionMatrix(labels: labels, counts: labels.map { _ in labels.map { _ in 1 } }))
        let report = TrainingReport(
            String(repeating: "s", count: 5_000),
            figures: (0..<50).map { _ in TrainingReport.Figure(String(repeating: "n", count: 300), text: String(repeating: "é", count: 1_000)) },
            confusion: square
        ).bounded()
        #expect(report.summary.utf8.count <= StatusDetailLimits.summaryBytes)
        #expect(report.figures.count == StatusDetailLimits.figureCount)
        #expect(report.figures.allSatisfy { $0.name.utf8.count <= StatusDetailLimits.figureNameBytes })
        #expect(report.figures.allSatisfy { $0.shown.utf8.count <= StatusDetailLimits.figureTextBytes })
        #expect(report.confusion == nil, "a matrix over \(StatusDetailLimits.confusionLabels) labels is left out")

        let small = try #require(ConfusionMatrix(labels: ["yes", "no"], counts: [[3, 1], [0, 4]]))
        #expect(TrainingReport("ok", confusion: small).bounded().confusion == small)
    }

    @Test("a confusion matrix must be square over its labels")
    func confusionShape() {
        #expect(ConfusionMatrix(labels: ["a", "b"], counts: [[1, 2], [3, 4]]) != nil)
        #expect(ConfusionMatrix(labels: ["a", "b"], counts: [[1, 2]]) == nil)
        #expect(ConfusionMatrix(labels: ["a", "b"], counts: [[1], [3]]) == nil)
    }

    @Test("JSON round-trips the whole report")
    func json() throws {
        let report = TrainingReport(
            "Learned 2 labels.", figures: [.init("Labels", number: 2)], confusion: ConfusionMatrix(labels: ["a", "b"], counts: [[1, 0], [0, 1]])
        )
        #expect(try TrainingReport(json: report.json()) == report)
        #expect(throws: (any Error).self) { try TrainingReport(json: Data("2 labels {\"summary\": 1}".utf8)) }
    }

    @Test("the trailer's JSON drops the confusion matrix first, then the last figures, to fit; none if the summary alone is too large")
    func trailerJSON() throws {
        let labels = (0..<30).map { "label-\($0)" }
        let matrix = try #require(ConfusionMatrix(labels: labels, counts: labels.map { _ in labels.map { _ in 1000 } }))
        let withMatrix = TrainingReport("s", figures: Self.figures(3), confusion: matrix)
        let fitted = try TrainingReport(json: try #require(withMatrix.trailerJSON()))
        #expect(fitted.confusion == nil && fitted.figures == withMatrix.figures)

        let many = TrainingReport("s", figures: Self.figures(32, textBytes: 400))
        let data = try #require(many.trailerJSON())
        #expect(data.count <= StatusDetailLimits.reportTrailerBytes)
        let kept = try TrainingReport(json: data).figures
        #expect(!kept.isEmpty && kept.count < 32 && kept == Array(many.figures.prefix(kept.count)))

        #expect(TrainingReport(String(repeating: "s", count: 4_000)).trailerJSON() == nil)
        let small = TrainingReport("s", figures: Self.figures(2))
        #expect(small.trailerJSON() == small.json())
    }

    @Test("text is cut at a character boundary, never inside a multi-byte character")
    func characterBoundary() {
        let text = String(repeating: "日本", count: 1_000)
        let cut = text.bounded(toUTF8Bytes: 200)
        #expect(cut.utf8.count <= 200 && cut.hasPrefix("日本日本") && cut.hasSuffix("more characters not shown]"))
        #expect("short".bounded(toUTF8Bytes: 200) == "short")
    }
}
