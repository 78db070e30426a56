import ArgumentParser
import Foundation
import TrainingClient
import TrainingCore

struct Watch: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Poll a model's status until READY_TO_USE (exit 0), ERRORED (5) or DELETED (6).",
        discussion: """
            Prints the status and the server's detail (job progress, reasons) each time they change; with \
            --json, one object per change. --until VALIDATED also stops (exit 0) once validation has \
            passed, so a script can go on with train.
            """
    )

    @OptionGroup var options: GlobalOptions

    @Argument(help: "The model id.")
    var modelID: String

    @Option(name: .long, help: "Seconds between polls.")
    var interval = 1.0

    @Option(name: .long, help: "Give up after this many seconds (exit 7); default: wait for ever.")
    var timeout: Double?

    @Option(name: .long, help: "Also stop with exit code 0 at this status (e.g. VALIDATED).")
    var until: StatusName?

    /// A status as `--until` takes it.
    struct StatusName: ExpressibleByArgument {
        var status: ModelStatus
        init?(argument: String) {
            guard let status = ModelStatus(rawValue: argument.uppercased()) else { return nil }
            self.status = status
        }
        static var allValueStrings: [String] { ModelStatus.allCases.map(\.rawValue) }
    }

    func validate() throws {
        guard interval > 0 else { throw ValidationError("--interval must be positive.") }
        if let timeout, timeout < 0 { throw ValidationError("--timeout must not be negative.") }
    }

    struct Event: Encodable {
        var modelId: String
        var status: String
        var detail: String?
        var report: TrainingReport?
        var final: Bool
    }

    func run() async throws {
        try await runCommand(options) { console in
            let final = try await withConnection(options) { client in
                var watcher = StatusWatcher(
                    models: ModelClient(wrapping: client, metadata: options.metadata),
                    interval: .milliseconds(Int64(interval * 1000))
                )
                watcher.alsoStopAt = until.map { [$0.status] } ?? []
                do {
                    return try await watcher.watch(modelID: modelID, timeout: timeout.map { .milliseconds(Int64($0 * 1000)) }) { report in
                        let final = report.status.isFinalForWatching || report.status == until?.status
                        console.result(
                            Event(modelId: modelID, status: report.status.rawValue, detail: report.detail, report: report.report, final: final),
                            text: ["\(Self.clockTime())  \(report.status.rawValue)" + (report.detail.map { "  \($0)" } ?? "")]
                                + (final ? ConfusionText.lines(report.report) : [])
                        )
                        if !final, report.status == .validated || report.status == .created {
                            let next = report.status == .validated ? "snet-train train \(modelID)" : "snet-train upload \(modelID) FILE"
                            console.note("\(modelID) is \(report.status.rawValue) and waits for \(next); still watching.")
                        }
                    }
                } catch let timedOut as StatusWatcher<HTTP2Transport, ContinuousClock>.TimedOut {
                    throw CommandFailure(
                        status: .timedOut, code: "TIMED_OUT",
                        message: "Model \(modelID) is still \(timedOut.last.status.rawValue) after \(timeout ?? 0) s."
                    )
                }
            }
            switch final.status {
            case .readyToUse, until?.status: return .success
            case .deleted: return .modelDeleted
            default: return .modelErrored
            }
        }
    }

    /// `14:03:07`, local time.
    static func clockTime() -> String {
        let formatter = DateFormatter()
        formatter.dateFormat = "HH:mm:ss"
        return formatter.string(from: Date())
    }
}
