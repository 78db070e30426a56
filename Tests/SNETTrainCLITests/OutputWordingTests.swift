import Foundation
import Testing
import TrainingTesting

/// Small wordings a newcomer reads in the first hour: prices, the first progress line.
@Suite("snet-train: output wording")
struct OutputWordingTests {
    @Test("price: 1 cog, not 1 cogs; before validation, price train says it quotes the declared limits")
    func price() async throws {
        let scratch = try ScratchDirectory()
        let dataset = try textDataset(in: scratch)
        try await withTextServer { server in
            let id = try await runCLI(["create", "--method", "service.ExampleService/stt", "--name", "m"], port: server.port)
                .stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            let early = try await runCLI(["price", "train", id], port: server.port)
            #expect(early.exitCode == 0, "\(early.stderr)")
            #expect(early.stdout == "1 cog\n")
            #expect(early.stderr.contains("no validated dataset yet, so this quote is at the method's declared limits"), "\(early.stderr)")
            let earlyJSON = try await runCLI(["price", "train", id, "--json"], port: server.port)
            #expect(try earlyJSON.json()["basis"] as? String == "declaredLimits")
            #expect(try earlyJSON.json()["unit"] as? String == "cogs")

            _ = try await runCLI(["upload", id, dataset.path(percentEncoded: false)], port: server.port)
            _ = try await runCLI(["watch", id, "--until", "VALIDATED", "--interval", "0.1"], port: server.port)
            let late = try await runCLI(["price", "train", id], port: server.port)
            #expect(late.stdout == "1 cog\n")
            #expect(!late.stderr.contains("declared limits"), "\(late.stderr)")
            #expect(try await runCLI(["price", "train", id, "--json"], port: server.port).json()["basis"] as? String == "validatedDataset")
        }
    }

    @Test("upload: a start line first, then sizes precise enough that a part never reads as the whole")
    func progressLines() async throws {
        let scratch = try ScratchDirectory()
        // About 1.04 MiB of bytes deflate cannot shrink: the first 1 MiB batch is 96% of the file.
        let big = scratch.file("big.zip")
        var generator = SystemRandomNumberGenerator()
        let noise = Data((0..<1_090_000).map { _ in UInt8.random(in: 0...255, using: &generator) })
        try ArchiveBuilder.zip(["weather/1.txt": noise, "animals/1.txt": Data("cat dog".utf8)], at: big)
        try await withTextServer { server in
            let id = try await runCLI(["create", "--method", "service.ExampleService/stt", "--name", "m"], port: server.port)
                .stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            let run = try await runCLI(["upload", id, big.path(percentEncoded: false)], port: server.port)
            #expect(run.exitCode == 0, "\(run.stderr)")
            let lines = run.stderr.split(separator: "\n").map(String.init)
            let start = try #require(lines.firstIndex { $0.hasPrefix("uploading big.zip: 1.04 MiB in 2 batches") }, "\(run.stderr)")
            let first = try #require(lines.first { $0.hasPrefix("uploaded ") })
            #expect(lines.firstIndex(of: first)! > start)
            #expect(first.hasPrefix("uploaded 96%: 1.00 MiB of 1.04 MiB"), "\(first)")
        }
    }
}
