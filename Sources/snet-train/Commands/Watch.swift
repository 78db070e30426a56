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
            passed, so a script can go on with train. Gives up (exit 7) after --timeout, and after a \
            minute in CREATED, which nothing but an upload changes.
            """
    )

    @Argument(help: "The model id.")
    var modelID: String

    @Option(name: .long, help: "Seconds between polls.")
    var interval = 1.0

    @Option(name: .long, help: "Give up after this many seconds (exit 7); 0: wait for ever.")
    var timeout: Double = Self.defaultTimeout

    /// An hour: longer than this project's services validate or train, short enough that a
    /// forgotten watch ends.
    static let defaultTimeout = 3600.0
    /// How long a model may stay CREATED (nothing changes it but an upload) before watch gives up.
    static let createdLimit = Duration.seconds(60)

    @Option(name: .long, help: "Also stop with exit code 0 at this status (e.g. VALIDATED).")
    var until: StatusName?

    @OptionGroup var options: GlobalOptions

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
        guard timeout >= 0 else { throw ValidationError("--timeout must not be negative.") }
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
                watcher.idleLimits = [.created: Self.createdLimit]
                let limit: Duration? = timeout > 0 ? .milliseconds(Int64(timeout * 1000)) : nil
                do {
                    return try await watcher.watch(modelID: modelID, timeout: limit) { report in
                        let final = report.status.isFinalForWatching || report.status == until?.status
                        console.result(
                            Event(modelId: modelID, status: report.status.rawValue, detail: report.detail, report: report.report, final: final),
                            text: ["\(Self.clockTime())  \(report.status.rawValue)" + (report.detail.map { "  \($0)" } ?? "")]
                                + (final ? ConfusionText.lines(report.report) : [])
                        )
                        if !final, report.status == .validated || report.status == .created {
                            let next = report.status == .validated ? "snet-train train \(modelID)" : "snet-train upload \(modelID) FOLDER_OR_ZIP"
                            console.note("\(modelID) is \(report.status.rawValue) and waits for \(next); still watching.")
                        }
                    }
                } catch let timedOut as StatusWatcher<HTTP2Transport, ContinuousClock>.TimedOut where timedOut.idle {
                    throw CommandFailure(
                        status: .timedOut, code: "TIMED_OUT",
                        message:
                            "Model \(modelID) is still \(timedOut.last.status.rawValue) after \(Self.createdLimit.components.seconds) s: nothing changes it until a dataset is uploaded.",
                        next: "upload a dataset (did the upload fail?): snet-train upload \(modelID) FOLDER_OR_ZIP, then watch again"
                    )
                } catch let timedOut as StatusWatcher<HTTP2Transport, ContinuousClock>.TimedOut {
                    throw CommandFailure(
                        status: .timedOut, code: "TIMED_OUT",
                        message: "Model \(modelID) is still \(timedOut.last.status.rawValue) after \(Self.seconds(timeout)) s.",
                        next: "watch longer: snet-train watch \(modelID) --timeout SECONDS (0: for ever)"
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

    /// `3600`, `0.2`.
    static func seconds(_ value: Double) -> String {
        value == value.rounded() ? "\(Int(value))" : "\(value)"
    }

    /// `14:03:07`, local time.
    static func clockTime() -> String {
        let formatter = DateFormatter()
        formatter.dateFormat = "HH:mm:ss"
        return formatter.string(from: Date())
    }
}
