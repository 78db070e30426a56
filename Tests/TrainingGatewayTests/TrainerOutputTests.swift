import Testing
import SNETTraining

@testable import TrainingGateway

@Suite("Trainer output: bounded lines and JSON progress")
struct TrainerOutputTests {
    @Test("lines split across chunks; an over-long line is dropped whole; a last line without newline is kept")
    func splitting() {
        var splitter = LineSplitter(maxLineBytes: 8)
        var lines: [String] = []
        for chunk in ["ab", "c\nde\r\n0123456789", "abc\nlast"] {
            lines += Array(chunk.utf8).withUnsafeBytes { splitter.feed($0) }.map { String(decoding: $0, as: UTF8.self) }
        }
        if let last = splitter.finish() { lines.append(String(decoding: last, as: UTF8.self)) }
        #expect(lines == ["abc", "de", "last"])
        #expect(splitter.droppedLines == 1)
    }

    @Test("progress, message and metrics make the detail; report and error are kept; other lines ignored")
    func parsing() {
        var output = TrainerOutput()
        #expect(output.consume(Array("plain text".utf8), phase: "Training") == nil)
        let detail = output.consume(
            Array(#"{"progress": 0.4, "message": "epoch 2/5", "metrics": {"accuracy": 0.91, "loss": "0.2"}}"#.utf8),
            phase: "Training"
        )
        #expect(detail == "Training: 40%, epoch 2/5 (accuracy 0.91, loss 0.2)")
        _ = output.consume(Array(#"{"report": "done\nwell", "error": "\u0007bad"}"#.utf8), phase: "Training")
        #expect(output.report == "done well")
        #expect(output.error == "bad")
        #expect(output.ignoredLines == 1)
    }

    @Test("the optional figures and confusion keys join the report; a malformed matrix is ignored; no report, no report value")
    func reportStructure() throws {
        var output = TrainerOutput()
        _ = output.consume(Array(#"{"figures": {"accuracy": 0.9, "split": "5-fold"}}"#.utf8), phase: "Training")
        #expect(output.finalReport == nil)
        _ = output.consume(Array(#"{"confusion": {"labels": ["a", "b"], "counts": [[3, 1], [0, 4]]}}"#.utf8), phase: "Training")
        _ = output.consume(Array(#"{"confusion": {"labels": ["a", "b"], "counts": [[3, 1]]}}"#.utf8), phase: "Training")
        _ = output.consume(Array(#"{"report": "Trained on 8 texts."}"#.utf8), phase: "Training")
        let report = try #require(output.finalReport)
        #expect(report.summary == "Trained on 8 texts.")
        #expect(report.figures.map(\.name) == ["accuracy", "split"])
        #expect(report.figures.first?.number == 0.9 && report.figures.last?.shown == "5-fold")
        #expect(report.confusion?.counts == [[3, 1], [0, 4]])
        #expect(report.text() == "Trained on 8 texts.\naccuracy: 0.9\nsplit: 5-fold")
    }

    @Test("messages are one printable line of bounded length")
    func bounded() {
        let long = String(repeating: "x", count: 2_000)
        #expect(TrainerMessage.bounded(long).count == TrainerMessage.maxCharacters)
        #expect(TrainerMessage.bounded("a\n\tb\u{1B}[31m") == "a b [31m")
    }
}
