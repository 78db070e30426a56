import Foundation
import TrainingCore

/// Latencies of the calls of one load run.
struct LatencySample: Sendable {
    /// Nanoseconds, sorted.
    let nanoseconds: [Int64]
    /// Calls that threw (their time is in ``nanoseconds`` too).
    let errors: Int
    let seconds: Double

    var count: Int { nanoseconds.count }
    var callsPerSecond: Double { seconds > 0 ? Double(count) / seconds : 0 }

    /// The `fraction` percentile in milliseconds (nearest rank).
    func milliseconds(atPercentile fraction: Double) -> Double {
        guard !nanoseconds.isEmpty else { return .nan }
        let rank = min(nanoseconds.count - 1, max(0, Int((Double(nanoseconds.count) * fraction).rounded(.up)) - 1))
        return Double(nanoseconds[rank]) / 1_000_000
    }

    var p50: Double { milliseconds(atPercentile: 0.50) }
    var p99: Double { milliseconds(atPercentile: 0.99) }

    /// Several runs as one: their calls, errors and time added up.
    init(merging samples: [LatencySample]) {
        nanoseconds = samples.flatMap(\.nanoseconds).sorted()
        errors = samples.reduce(0) { $0 + $1.errors }
        seconds = samples.reduce(0) { $0 + $1.seconds }
    }

    init(nanoseconds: [Int64], errors: Int, seconds: Double) {
        self.nanoseconds = nanoseconds
        self.errors = errors
        self.seconds = seconds
    }
}

/// Runs `callers` concurrent loops of `call` for `duration` and times every call.
enum LoadRunner {
    static func run(
        callers: Int,
        for duration: Duration,
        _ call: @escaping @Sendable (_ caller: Int, _ iteration: Int) async throws -> Void
    ) async -> LatencySample {
        let clock = ContinuousClock()
        let started = clock.now
        let deadline = started + duration
        let results = await withTaskGroup(of: ([Int64], Int).self) { group in
            for caller in 0..<callers {
                group.addTask {
                    var times: [Int64] = []
                    times.reserveCapacity(4096)
                    var errors = 0
                    var iteration = 0
                    while clock.now < deadline {
                        let start = clock.now
                        do { try await call(caller, iteration) } catch { errors += 1 }
                        times.append((clock.now - start).nanoseconds)
                        iteration += 1
                    }
                    return (times, errors)
                }
            }
            var all: [([Int64], Int)] = []
            for await result in group { all.append(result) }
            return all
        }
        let seconds = (clock.now - started).timeInterval
        return LatencySample(
            nanoseconds: results.flatMap(\.0).sorted(), errors: results.reduce(0) { $0 + $1.1 }, seconds: seconds
        )
    }

    /// Wall-clock seconds of `body`.
    static func time(_ body: () throws -> Void) rethrows -> Double {
        let clock = ContinuousClock()
        let start = clock.now
        try body()
        return (clock.now - start).timeInterval
    }

    static func time(_ body: () async throws -> Void) async rethrows -> Double {
        let clock = ContinuousClock()
        let start = clock.now
        try await body()
        return (clock.now - start).timeInterval
    }
}
