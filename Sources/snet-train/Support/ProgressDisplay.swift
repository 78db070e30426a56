import Foundation
import Synchronization
import TrainingClient

/// Shows an upload's progress on standard error: a bar redrawn in place on a terminal (bytes, rate,
/// ETA), plain lines otherwise (every tenth of the file, so CI logs stay short), nothing with `--json`.
final class ProgressDisplay: Sendable {
    private struct State {
        var sentBytes: UInt64 = 0
        var lastDraw: ContinuousClock.Instant?
        var lastTenth = -1
        var drewBar = false
    }

    private let mode: Mode
    private let state = Mutex(State())

    enum Mode {
        case bar
        case lines
        case silent
    }

    init(mode: Mode) {
        self.mode = mode
    }

    /// Says what is about to be sent, so the first progress line (after a whole 1 MiB batch, which
    /// may be most of a small file) is not the first thing the uploader sees.
    func start(fileName: String, bytes: UInt64, batches: UInt64) {
        guard mode != .silent else { return }
        let plural = batches == 1 ? "batch" : "batches"
        Console.write("uploading \(fileName): \(Self.size(bytes)) in \(batches) \(plural)\n", to: .standardError)
    }

    /// Bytes handed to the transport so far.
    var sentBytes: UInt64 { state.withLock { $0.sentBytes } }

    func update(_ progress: UploadProgress) {
        state.withLock { $0.sentBytes = progress.sentBytes }
        let done = progress.sentBytes >= progress.totalBytes
        switch mode {
        case .silent:
            return
        case .bar:
            let now = ContinuousClock.now
            let draw = state.withLock { state -> Bool in
                if !done, let last = state.lastDraw, now - last < .milliseconds(100) { return false }
                state.lastDraw = now
                state.drewBar = true
                return true
            }
            if draw { Console.write("\r" + Self.bar(progress) + "\u{1B}[K", to: .standardError) }
        case .lines:
            let tenth = progress.totalBytes == 0 ? 10 : Int(progress.sentBytes * 10 / progress.totalBytes)
            let print = state.withLock { state -> Bool in
                guard tenth > state.lastTenth else { return false }
                state.lastTenth = tenth
                return true
            }
            if print { Console.write(Self.line(progress) + "\n", to: .standardError) }
        }
    }

    /// Ends the bar's line so that what follows starts on a new one.
    func finish() {
        if state.withLock({ $0.drewBar }) { Console.write("\n", to: .standardError) }
    }

    static func bar(_ progress: UploadProgress) -> String {
        let width = 30
        let fraction = progress.totalBytes == 0 ? 1 : min(1, Double(progress.sentBytes) / Double(progress.totalBytes))
        let filled = Int((fraction * Double(width)).rounded(.down))
        let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
        return "[\(bar)] \(String(format: "%3d", Int(fraction * 100)))%  \(details(progress))"
    }

    static func line(_ progress: UploadProgress) -> String {
        let percent = progress.totalBytes == 0 ? 100 : Int(progress.sentBytes * 100 / progress.totalBytes)
        return "uploaded \(percent)%: \(details(progress)), batch \(progress.batchNumber)/\(progress.batchCount)"
    }

    private static func details(_ progress: UploadProgress) -> String {
        var text = "\(size(progress.sentBytes)) of \(size(progress.totalBytes))"
        if let rate = progress.bytesPerSecond { text += ", \(size(UInt64(rate)))/s" }
        if let eta = progress.estimatedRemaining, progress.sentBytes < progress.totalBytes {
            let seconds = Int(eta.components.seconds)
            text += ", ETA \(seconds / 60):\(String(format: "%02d", seconds % 60))"
        }
        return text
    }

    /// `512 B`, `3.40 KiB`, `12.5 MiB`, `200 MiB`: three significant digits, so that a part and
    /// the whole never print alike (1.00 MiB of 1.04 MiB, not 1.0 MiB of 1.0 MiB).
    static func size(_ bytes: UInt64) -> String {
        if bytes < 1024 { return "\(bytes) B" }
        let units = ["KiB", "MiB", "GiB", "TiB"]
        var value = Double(bytes) / 1024
        var unit = 0
        while value >= 1024, unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        let decimals = value < 10 ? 2 : (value < 100 ? 1 : 0)
        return String(format: "%.\(decimals)f %@", value, units[unit])
    }
}
