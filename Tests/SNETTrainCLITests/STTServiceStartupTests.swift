import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Testing
import TrainingTesting

/// `stt-service` start-up failures: one line each, at once (before the registry or the default model),
/// with the exit code docs/stt-service.md documents.
@Suite("stt-service: start-up failures")
struct STTServiceStartupTests {
    static func start(_ arguments: [String]) async throws -> CLIRun {
        try await runProcess(sttServiceBinary(), arguments, timeout: .seconds(30))
    }

    /// Lines on standard error.
    static func lines(_ run: CLIRun) -> [Substring] { run.stderr.split(separator: "\n") }

    @Test("a port in use: one line saying so, exit 69, and nothing built in the data directory")
    func portInUse() async throws {
        let scratch = try ScratchDirectory()
        let listener = try ListeningSocket()
        let data = scratch.file("data").path(percentEncoded: false)
        let run = try await Self.start(["--port", "\(listener.port)", "--data-dir", data])
        #expect(run.exitCode == 69)
        #expect(
            Self.lines(run) == [
                "stt-service: port \(listener.port) on 127.0.0.1 is already in use (another stt-service?); stop that process or choose another port with --port (server.port)."
            ])
        #expect(!FileManager.default.fileExists(atPath: data), "checked before the data directory, registry and default model")
    }

    @Test("a data directory that cannot be created: one line with the system's reason, exit 73")
    func unusableDataDirectory() async throws {
        let scratch = try ScratchDirectory()
        let file = scratch.file("plain-file")
        try Data("x".utf8).write(to: file)
        let underFile = try await Self.start(["--port", "0", "--data-dir", file.appending(path: "data").path(percentEncoded: false)])
        #expect(underFile.exitCode == 73)
        #expect(Self.lines(underFile).count == 1)
        #expect(
            underFile.stderr.contains("cannot be used: \(file.path(percentEncoded: false)) is a file, not a directory; choose another with --data-dir"),
            "\(underFile.stderr)")
        #expect(!underFile.stderr.contains("NSCocoaErrorDomain"))

        let isFile = try await Self.start(["--port", "0", "--data-dir", file.path(percentEncoded: false)])
        #expect(isFile.exitCode == 73)
        #expect(isFile.stderr.contains("cannot be used: it is a file, not a directory"), "\(isFile.stderr)")
    }

    @Test("a missing configuration file: one readable line, exit 78")
    func missingConfiguration() async throws {
        let run = try await Self.start(["--config", "/nonexistent/stt.yaml"])
        #expect(run.exitCode == 78)
        #expect(
            Self.lines(run) == [
                "stt-service: The configuration is not valid: /nonexistent/stt.yaml: the configuration file does not exist (--config or STT_SERVICE_CONFIG names it); check the path."
            ])
    }

    @Test("an STT_SERVICE_ variable no setting has: one line naming it, exit 78")
    func unknownVariable() async throws {
        let run = try await runProcess(
            sttServiceBinary(), ["--port", "0"],
            environment: ["STT_SERVICE_SERVR_PORT": "6001"], timeout: .seconds(30)
        )
        #expect(run.exitCode == 78)
        #expect(
            Self.lines(run) == [
                "stt-service: The configuration is not valid: STT_SERVICE_SERVR_PORT: is not a setting this service reads (misspelt, or not used by the chosen policy); remove it or fix its name."
            ])
    }

    @Test("an unknown TRAINING_GATEWAY_ variable stops training-gateway the same way: one line naming it, exit 78")
    func unknownGatewayVariable() async throws {
        let example = URL(filePath: #filePath).deletingLastPathComponent().appending(path: "../../Examples/python-intent/gateway.yaml")
        let scratch = try ScratchDirectory()
        let run = try await runProcess(
            cliBinary().deletingLastPathComponent().appending(path: "training-gateway"),
            [
                "--config", example.standardizedFileURL.path(percentEncoded: false), "--port", "0", "--data-dir",
                scratch.file("data").path(percentEncoded: false),
            ],
            environment: ["TRAINING_GATEWAY_PROVIDR_ENDPOINT": "127.0.0.1:1"], timeout: .seconds(30)
        )
        #expect(run.exitCode == 78)
        #expect(
            Self.lines(run) == [
                "training-gateway: The configuration is not valid: TRAINING_GATEWAY_PROVIDR_ENDPOINT: is not a setting this service reads (misspelt, or not used by the chosen policy); remove it or fix its name."
            ])
    }

    @Test("a misspelt method section: one problem naming the method and the trainable ones, exit 78")
    func misspeltMethod() async throws {
        let scratch = try ScratchDirectory()
        let config = scratch.file("stt.yaml")
        try Data("methods:\n  sst:\n    access: restricted\n    maxModelsPerUser: 2\n".utf8).write(to: config)
        let run = try await Self.start(["--config", config.path(percentEncoded: false)])
        #expect(run.exitCode == 78)
        #expect(Self.lines(run) == ["stt-service: The configuration is not valid: methods.sst: no trainable method `sst` (trainable: stt); did you mean stt?"])
    }

    @Test("the service's own key speech.maxClipSeconds is checked with the library's: a bad value and a typo beside it, exit 78")
    func speechKey() async throws {
        let scratch = try ScratchDirectory()
        let config = scratch.file("stt.yaml")
        try Data("speech:\n  maxClipSeconds: 0\n  maxClipSecond: 5\n".utf8).write(to: config)
        let run = try await Self.start(["--config", config.path(percentEncoded: false)])
        #expect(run.exitCode == 78)
        #expect(
            run.stderr.contains(
                "speech.maxClipSeconds: 0 (from the file \(config.path(percentEncoded: false))) is out of range; it must be between 1 and 600."),
            "\(run.stderr)")
        #expect(run.stderr.contains("speech.maxClipSecond: is not a setting this service reads"), "\(run.stderr)")
    }
}

/// A socket listening on 127.0.0.1 (a free port), closed when the value goes away.
final class ListeningSocket {
    let fd: Int32
    let port: Int

    init() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        self.fd = fd
        guard fd >= 0 else { throw CLIError("socket() failed") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ok = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, length) == 0 && listen(fd, 1) == 0 && getsockname(fd, $0, &length) == 0
            }
        }
        guard ok else {
            close(fd)
            throw CLIError("could not listen on a free port")
        }
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    deinit { close(fd) }
}
