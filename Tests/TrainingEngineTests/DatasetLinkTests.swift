import Foundation
import Testing
import TrainingCore
import TrainingDatasets
import TrainingEngine
import TrainingTesting

/// validate_model with a training_data_link: http(s) downloads under the link guards, file://
/// links inside the operator's directory; every failure ends the model ERRORED with the reason.
@Suite("Dataset links")
struct DatasetLinkTests {
    static func textArchive() throws -> Data {
        let scratch = try ScratchDirectory()
        let url = scratch.file("t.zip")
        try ArchiveBuilder.textDataset(at: url)
        return try Data(contentsOf: url)
    }

    static func engine(_ configure: (inout DatasetLinkPolicy) -> Void = { _ in }) throws -> InMemoryEngine {
        var links = DatasetLinkPolicy.defaults
        configure(&links)
        return try InMemoryEngine(trainer: TextLabelTrainer(), links: links)
    }

    /// Validates `link` on a new model and returns the model once validation has ended.
    static func validate(_ link: String, on engine: InMemoryEngine) async throws -> ModelRecord {
        let id = try await engine.createModel()
        #expect(try await engine.workflow.validate(id, link: link) == .validating)
        return try await engine.wait(id, until: [.validated, .errored])
    }

    @Test("links to loopback and private addresses are refused by default, also through a redirect")
    func privateAddressesRefused() async throws {
        let http = try await LocalHTTPServer.start(routes: [
            "/data.zip": .bytes(try Self.textArchive()),
            "/to-metadata": .redirect("http://169.254.169.254/latest/meta-data/"),
        ])
        let engine = try Self.engine()
        defer { engine.stop() }
        for (link, reason) in [(http.url("/data.zip"), "loopback"), ("http://10.1.2.3/data.zip", "private"), ("http://[::1]:9/data.zip", "loopback")] {
            let model = try await Self.validate(link, on: engine)
            #expect(model.status == .errored, "\(link)")
            #expect(model.statusDetail?.contains(reason) == true, "\(link): \(model.statusDetail ?? "nil")")
        }
        let allowing = try Self.engine { $0.allowedHosts = ["127.0.0.0/8"] }
        defer { allowing.stop() }
        let redirected = try await Self.validate(http.url("/to-metadata"), on: allowing)
        #expect(redirected.status == .errored, "a redirect to a link-local address is checked too")
        #expect(redirected.statusDetail?.contains("link-local") == true, "\(redirected.statusDetail ?? "nil")")
        try await http.stop()
    }

    @Test("an allowed host's dataset is downloaded, following redirects, and validated")
    func allowedDownload() async throws {
        let archive = try Self.textArchive()
        let http = try await LocalHTTPServer.start(routes: [
            "/data.zip": .bytes(archive),
            "/chunked.zip": .bytes(archive, declareLength: false),
            "/hop1": .redirect("/hop2"),
            "/hop2": .redirect("/data.zip", status: 301),
        ])
        let engine = try Self.engine { $0.allowedHosts = ["127.0.0.1"] }
        defer { engine.stop() }
        for path in ["/data.zip", "/chunked.zip", "/hop1"] {
            let model = try await Self.validate(http.url(path), on: engine)
            #expect(model.status == .validated, "\(path): \(model.statusDetail ?? "nil")")
        }
        try await http.stop()
    }

    @Test("size caps, HTTP errors and redirect loops end ERRORED with the reason")
    func failures() async throws {
        let big = Data(repeating: 7, count: 11 << 20)  // the method takes at most 10 MiB
        let http = try await LocalHTTPServer.start(routes: [
            "/big.zip": .bytes(big),
            "/big-chunked.zip": .bytes(big, declareLength: false),
            "/missing.zip": .status(404),
            "/loop": .redirect("/loop"),
        ])
        let engine = try Self.engine {
            $0.allowedHosts = ["127.0.0.1"]
            $0.maxRedirects = 3
        }
        defer { engine.stop() }
        for (path, phrase) in [("/big.zip", "larger than"), ("/big-chunked.zip", "larger than"), ("/missing.zip", "HTTP 404"), ("/loop", "more than 3 times")] {
            let model = try await Self.validate(http.url(path), on: engine)
            #expect(model.status == .errored, "\(path)")
            #expect(model.statusDetail?.contains(phrase) == true, "\(path): \(model.statusDetail ?? "nil")")
        }
        try await http.stop()
    }

    @Test("a download that takes longer than download_timeout ends ERRORED naming it, when the engine's clock passes it")
    func timeout() async throws {
        let http = try await LocalHTTPServer.start(routes: ["/stall.zip": .stall])
        let engine = try Self.engine {
            $0.allowedHosts = ["127.0.0.1"]
            $0.downloadTimeout = .seconds(600)
        }
        defer { engine.stop() }
        let id = try await engine.createModel()
        #expect(try await engine.workflow.validate(id, link: http.url("/stall.zip")) == .validating)
        #expect(try await engine.clock.waitForSleepers(sleepingFor: .seconds(600)), "the download's timer is set")
        engine.clock.advance(by: .seconds(600))
        let model = try await engine.wait(id, until: [.validated, .errored])
        #expect(model.status == .errored)
        #expect(model.statusDetail?.contains("longer than 600 seconds") == true, "\(model.statusDetail ?? "nil")")
        try await http.stop()
    }

    @Test("file:// links are refused unless the operator names a directory, and read only inside it")
    func fileLinks() async throws {
        let scratch = try ScratchDirectory()
        let root = scratch.file("links")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        try ArchiveBuilder.textDataset(at: root.appending(path: "texts.zip"))
        try ArchiveBuilder.textDataset(at: scratch.file("outside.zip"))

        let refusing = try Self.engine()
        defer { refusing.stop() }
        let id = try await refusing.createModel()
        for link in [root.appending(path: "texts.zip").absoluteString, "", "ftp://x/y.zip"] {
            let error = await #expect(throws: TrainingError.self) { try await refusing.workflow.validate(id, link: link) }
            #expect(error?.code == .invalidArgument, "\(link)")
        }
        #expect(try await refusing.workflow.status(of: id).status == .created)

        let engine = try Self.engine { $0.fileLinkRoot = root }
        defer { engine.stop() }
        #expect(try await Self.validate(root.appending(path: "texts.zip").absoluteString, on: engine).status == .validated)
        let escaped = try await Self.validate(root.appending(path: "../outside.zip").absoluteString, on: engine)
        #expect(escaped.status == .errored)
        #expect(escaped.statusDetail?.contains("outside") == true, "\(escaped.statusDetail ?? "nil")")
    }
}
