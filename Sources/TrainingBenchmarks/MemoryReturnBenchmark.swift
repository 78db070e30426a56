import ExampleServiceProto
import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2Posix
import SwiftProtobuf
import TrainingProto
import TrainingTesting

/// Memory at rest: the real `stt-service` executable runs a mixed sequence (hostile archives, 8
/// concurrent uploads, two trainings, inference on three models), then rests; its RSS after
/// start-up, at the peak and after the rest, and the first `stt` call after the rest against a warm
/// one. The node runs with its default settings, with idle trimming and glibc's own arena limit,
/// and with neither (the baseline: what the allocator keeps by itself), each on a data directory
/// of its own, in the same run.
struct MemoryReturnBenchmark: Benchmark {
    let title = "Memory at rest: stt-service RSS after a mixed sequence and a rest, and the first stt call after it"

    /// The node's settings compared: the label and the `STT_SERVICE_*` variables.
    static let variants: [(String, [String: String])] = [
        (
            "idle trimming off, glibc's arena limit",
            ["STT_SERVICE_SERVER_MEMORY_TRIM_AFTER_IDLE_SECONDS": "0", "STT_SERVICE_SERVER_MEMORY_MALLOC_ARENAS": "0"]
        ),
        ("idle trimming, glibc's arena limit", ["STT_SERVICE_SERVER_MEMORY_MALLOC_ARENAS": "0"]),
        ("default settings", [:]),
    ]

    func run(_ context: BenchmarkContext) async throws {
        let executable = try context.sttService ?? STTServiceProcess.builtBeside
        let work = try context.directory("memory")
        let sequence = try MixedSequence(work: work, quick: context.quick)
        let rest: Duration = context.quick ? .seconds(3) : .seconds(60)
        print(
            Formatting.header([
                "node", "RSS after start-up", "RSS peak", "RSS at rest (\(rest.components.seconds) s)", "anon / file at rest",
                "first stt after rest", "warm stt (median of 20)", "first / warm", "node CPU: first / warm",
            ]))
        // Each node then loads the default model its first start trained, as a node does after its first start.
        if try SpeechModelCache.isEmpty(scratch: context.scratch) {
            let data = try context.directory("memory-node")
            let node = try await STTServiceProcess.start(
                executable: executable, data: data, log: work.appending(path: "stt-service-first-start.log"), pinned: nil
            )
            node.stop()
            try SpeechModelCache.save(from: data, scratch: context.scratch)
        }
        var notes: [String] = []
        // Another build (an older one, say) may not know the trimming key: its defaults only.
        let variants = context.sttService == nil ? Self.variants : [("--stt-service, its defaults", [:])]
        for (index, (label, environment)) in variants.enumerated() {
            let data = try context.directory("memory-node")
            try SpeechModelCache.restore(into: data, scratch: context.scratch)
            let log = work.appending(path: "stt-service-\(index).log")
            let service = try await STTServiceProcess.start(
                executable: executable, data: data, log: log, environment: environment, pinned: context.pin ? CorePinning.serverCore : nil
            )
            defer { service.stop() }
            try SpeechModelCache.save(from: data, scratch: context.scratch)
            try await Task.sleep(for: .seconds(context.quick ? 1 : 5))
            let start = MemoryFigures(service.memory)
            let startBreakdown = ResidentBreakdown(process: service.memory.process)
            service.memory.resetPeak()
            let done = try await sequence.run(port: service.port, pid: service.memory.process)
            let peak = service.memory.peakResidentBytes()
            try await Task.sleep(for: rest)
            let atRest = MemoryFigures(service.memory)
            let restBreakdown = ResidentBreakdown(process: service.memory.process)
            let calls = try await Self.firstAndWarmCall(
                port: service.port, pid: service.memory.process, model: done.trainedModels[0], clip: sequence.clip
            )
            print(
                Formatting.row([
                    label, Formatting.mib(start.resident), Formatting.mib(peak), Formatting.mib(atRest.resident),
                    "\(Formatting.mib(atRest.anonymous)) / \(Formatting.mib(atRest.fileBacked))",
                    Formatting.milliseconds(calls.first), Formatting.milliseconds(calls.warm), Formatting.ratio(calls.first / calls.warm),
                    Formatting.ratio(
                        Double(calls.firstActivity.cpuNanoseconds) / (Double(calls.warmActivity.cpuNanoseconds) / Double(CallCosts.warmCalls))
                    ),
                ]))
            notes.append("\(label): \(done.summary)")
            notes.append("\(label), after start-up: \(startBreakdown.summary)")
            notes.append("\(label), at rest: \(restBreakdown.summary)")
            notes.append(
                "\(label), the node's cost of the first stt after rest: \(calls.firstActivity.summary); of the 20 warm ones: "
                    + "\(calls.warmActivity.summary); first stt on one more new connection without a rest: "
                    + Formatting.milliseconds(calls.firstWithoutRest))
        }
        print("")
        for note in notes { print("- \(note)") }
    }

    /// The first `stt` call after the rest against warm ones, with what the node spent on each.
    struct CallCosts {
        static let warmCalls = 20
        var first: Double
        var warm: Double
        var firstActivity: ProcessActivity
        /// Summed over the ``warmCalls`` warm calls.
        var warmActivity: ProcessActivity
        /// The first call on another new connection right after the warm ones, without a rest:
        /// what a new connection costs by itself.
        var firstWithoutRest: Double
    }

    /// After the rest, on a new connection (opened with a status call, as the daemon's first call
    /// after a quiet spell opens one): the first `stt` call, then the median of 20 more, all with
    /// the same clip and trained model; then the first call on one more new connection.
    private static func firstAndWarmCall(port: Int, pid: String, model: String, clip: Data) async throws -> CallCosts {
        let request = Service_sttInput.with {
            $0.modelID = .with { $0.modelID = model }
            $0.speech = clip
        }
        var costs = try await BenchmarkClient.withGRPC(port: port) { grpc in
            _ = try await Training_Model.Client(wrapping: grpc).get_model_status(.with { $0.modelID = model })
            let speech = Service_ExampleService.Client(wrapping: grpc)
            let before = ProcessActivity(pid: pid)
            let first = try await LoadRunner.time { _ = try await speech.stt(request) }
            let afterFirst = ProcessActivity(pid: pid)
            var warm: [Double] = []
            for _ in 0..<CallCosts.warmCalls { warm.append(try await LoadRunner.time { _ = try await speech.stt(request) }) }
            return CallCosts(
                first: first * 1000, warm: warm.sorted()[warm.count / 2] * 1000, firstActivity: afterFirst - before,
                warmActivity: ProcessActivity(pid: pid) - afterFirst, firstWithoutRest: 0
            )
        }
        costs.firstWithoutRest = try await BenchmarkClient.withGRPC(port: port) { grpc in
            _ = try await Training_Model.Client(wrapping: grpc).get_model_status(.with { $0.modelID = model })
            return try await LoadRunner.time { _ = try await Service_ExampleService.Client(wrapping: grpc).stt(request) } * 1000
        }
        return costs
    }
}

/// VmRSS, RssAnon and RssFile of a process at one moment.
struct MemoryFigures {
    var resident: Int
    var anonymous: Int
    var fileBacked: Int

    init(_ memory: ProcessMemory) {
        resident = memory.residentBytes()
        anonymous = memory.anonymousBytes()
        fileBacked = memory.fileBackedBytes()
    }
}

/// The trained default model of `stt-service`, kept between the nodes of one run so it is trained
/// once (the folder ``BenchmarkContext/startSpeechServer()`` keeps it in, since it is the same model).
enum SpeechModelCache {
    private static func directory(_ scratch: URL) throws -> URL {
        let url = scratch.appending(path: "speech-model-cache", directoryHint: .isDirectory)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    static func isEmpty(scratch: URL) throws -> Bool {
        try FileManager.default.contentsOfDirectory(atPath: directory(scratch).path(percentEncoded: false)).isEmpty
    }

    static func restore(into data: URL, scratch: URL) throws {
        let cache = try directory(scratch)
        for file in try FileManager.default.contentsOfDirectory(at: cache, includingPropertiesForKeys: nil) {
            try FileManager.default.copyItem(at: file, to: data.appending(path: file.lastPathComponent))
        }
    }

    static func save(from data: URL, scratch: URL) throws {
        let cache = try directory(scratch)
        for file in try FileManager.default.contentsOfDirectory(at: data, includingPropertiesForKeys: nil)
        where file.lastPathComponent.hasPrefix("default-speech-model-") {
            try? FileManager.default.copyItem(at: file, to: cache.appending(path: file.lastPathComponent))
        }
    }
}
