import Foundation
import GRPCCore
import SNETTraining
import SwiftProtobuf
import Testing
import TrainingProto
import TrainingTesting

@Suite("validate_model downloads http(s) links under the link guards")
struct DatasetLinkTests {
    static func textArchive() throws -> Data {
        let scratch = try ScratchDirectory()
        let url = scratch.url.appending(path: "t.zip")
        try ArchiveBuilder.textDataset(at: url)
        return try Data(contentsOf: url)
    }

    /// Validates `link` on a new model and returns the final status and detail.
    func validate(_ link: String, on server: LiveTrainingServer) async throws -> (Training_Status, String?) {
        try await server.withClient { grpc in
            let client = TrainingClient(wrapping: grpc)
            let id = try await client.createModel()
            let answer = try await client.validate_model(
                .with {
                    $0.modelID = id; $0.trainingDataLink = link
                })
            #expect(answer.status == .validating)
            _ = try await client.waitWhileBusy(id)
            return try await client.statusWithDetail(id)
        }
    }

    @Test("links to loopback and private addresses are refused by default, also through a redirect")
    func privateAddressesRefused() async throws {
        let http = try await LocalHTTPServer.start(routes: [
            "/data.zip": .bytes(try Self.textArchive()),
            "/to-metadata": .redirect("http://169.254.169.254/latest/meta-data/"),
        ])
        let server = try await startTextServer()
        defer { server.removeData() }
        var (status, detail) = try await validate(http.url("/data.zip"), on: server)
        #expect(status == .errored)
        #expect(detail?.contains("loopback") == true, "detail: \(detail ?? "nil")")
        (status, detail) = try await validate("http://10.1.2.3/data.zip", on: server)
        #expect(status == .errored)
        #expect(detail?.contains("private") == true, "detail: \(detail ?? "nil")")
        (status, detail) = try await validate("http://[::1]:9/data.zip", on: server)
        #expect(status == .errored)
        try await server.stop()

        let allowing = try await startTextServer { $0.links.allowedHosts = ["127.0.0.0/8"] }
        defer { allowing.removeData() }
        (status, detail) = try await validate(http.url("/to-metadata"), on: allowing)
        #expect(status == .errored, "a redirect to a link-local address is checked too")
        #expect(detail?.contains("link-local") == true, "detail: \(detail ?? "nil")")
        try await allowing.stop()
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
        let server = try await startTextServer { $0.links.allowedHosts = ["127.0.0.1"] }
        defer { server.removeData() }
        for path in ["/data.zip", "/chunked.zip", "/hop1"] {
            let (status, detail) = try await validate(http.url(path), on: server)
            #expect(status == .validated, "\(path): \(detail ?? "nil")")
        }
        try await server.stop()
        try await http.stop()
    }

    @Test("size caps, HTTP errors, redirect loops and timeouts end ERRORED with the reason")
    func failures() async throws {
        let big = Data(repeating: 7, count: 3 << 20)
        let http = try await LocalHTTPServer.start(routes: [
            "/big.zip": .bytes(big),
            "/big-chunked.zip": .bytes(big, declareLength: false),
            "/missing.zip": .status(404),
            "/loop": .redirect("/loop"),
            "/stall.zip": .stall,
        ])
        let server = try await startTextServer {
            $0.links.allowedHosts = ["127.0.0.1"]
            $0.links.downloadTimeout = .seconds(2)
            $0.links.maxRedirects = 3
        }
        defer { server.removeData() }
        let expectations: [(String, String)] = [
            ("/big.zip", "larger than"),
            ("/big-chunked.zip", "larger than"),
            ("/missing.zip", "HTTP 404"),
            ("/loop", "more than 3 times"),
            ("/stall.zip", "longer than"),
        ]
        // The text service's stt method declares dataset_max_size_mb = 2; the big files are 3 MiB.
        for (path, phrase) in expectations {
            let (status, detail) = try await validate(http.url(path), on: server)
            #expect(status == .errored, "\(path)")
            #expect(detail?.contains(phrase) == true, "\(path): \(detail ?? "nil")")
        }
        try await server.stop()
        try await http.stop()
    }
}
