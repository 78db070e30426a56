import Foundation
import SNETTraining
import TrainingDatasets
import Testing
import TrainingTesting

/// The whole consumer journey through the `snet-train` binary against a real server over HTTP/2.
@Suite("snet-train: model lifecycle")
struct LifecycleCommandTests {
    @Test("create, upload, watch, price, train, watch, call, status, delete — with --json parsed at every step")
    func fullLifecycle() async throws {
        let scratch = try ScratchDirectory()
        let dataset = try textDataset(in: scratch)
        try await withTextServer { server in
            let port = server.port
            let created = try await runCLI(["create", "--method", "service.ExampleService/stt", "--name", "texts", "--json"], port: port)
            #expect(created.exitCode == 0, "\(created.stderr)")
            let id = try #require(try created.json()["modelId"] as? String)
            #expect(!id.isEmpty)

            let uploaded = try await runCLI(["upload", id, dataset.path(percentEncoded: false), "--json"], port: port)
            #expect(uploaded.exitCode == 0, "\(uploaded.stderr)")
            let upload = try uploaded.json()
            #expect(upload["status"] as? String == "VALIDATING")
            #expect(upload["checkedAgainst"] as? String == "service.ExampleService/stt")
            #expect(upload["batches"] as? Int == 1)
            #expect(upload["fileName"] as? String == "texts.zip")

            let validated = try await runCLI(["watch", id, "--until", "VALIDATED", "--interval", "0.1", "--json"], port: port)
            #expect(validated.exitCode == 0, "\(validated.stderr)")
            let lastValidation = try #require(try validated.jsonLines().last)
            #expect(lastValidation["status"] as? String == "VALIDATED")
            #expect(lastValidation["final"] as? Bool == true)
            #expect((lastValidation["detail"] as? String)?.contains("2 labels") == true)

            for action in ["validate", "train"] {
                let price = try await runCLI(["price", action, id, "--json"], port: port)
                #expect(price.exitCode == 0, "\(price.stderr)")
                #expect(try price.json()["price"] as? Int == 1)
                #expect(try price.json()["unit"] as? String == "cogs")
            }

            let training = try await runCLI(["train", id, "--json"], port: port)
            #expect(training.exitCode == 0, "\(training.stderr)")
            #expect(try training.json()["status"] as? String == "TRAINING")

            let trained = try await runCLI(["watch", id, "--interval", "0.1", "--json"], port: port)
            #expect(trained.exitCode == 0, "\(trained.stderr)")
            #expect(try trained.jsonLines().last?["status"] as? String == "READY_TO_USE")

            let status = try await runCLI(["status", id, "--json"], port: port)
            #expect(status.exitCode == 0)
            #expect(try status.json()["status"] as? String == "READY_TO_USE")
            #expect((try status.json()["detail"] as? String)?.contains("Learned 2 labels") == true)

            let answer = try await runCLI(["call", "service.ExampleService/stt", "--model-id", id, "--field", "speech=snow and rain", "--json"], port: port)
            #expect(answer.exitCode == 0, "\(answer.stderr)")
            let response = try #require(try answer.json()["response"] as? [String: Any])
            #expect(response["result"] as? String == "weather")

            let deleted = try await runCLI(["delete", id, "--json"], port: port)
            #expect(deleted.exitCode == 0)
            #expect(try deleted.json()["status"] as? String == "DELETED")

            let watchDeleted = try await runCLI(["watch", id, "--interval", "0.1"], port: port)
            #expect(watchDeleted.exitCode == 6)
            #expect(watchDeleted.stdout.contains("DELETED"))
        }
    }

    @Test("human output: create prints only the id, status prints the detail, upload reports progress as plain lines off a terminal")
    func humanOutput() async throws {
        let scratch = try ScratchDirectory()
        let dataset = try textDataset(in: scratch)
        try await withTextServer { server in
            let created = try await runCLI(["create", "--method", "ExampleService/stt", "--name", "plain"], port: server.port)
            #expect(created.exitCode == 0, "\(created.stderr)")
            let id = created.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(id.count == 32 && id.allSatisfy(\.isHexDigit))

            let uploaded = try await runCLI(["upload", id, dataset.path(percentEncoded: false)], port: server.port)
            #expect(uploaded.exitCode == 0, "\(uploaded.stderr)")
            #expect(uploaded.stdout == "VALIDATING\n")
            #expect(uploaded.stderr.contains("checked texts.zip against service.ExampleService/stt's dataset options: 4 files"))
            #expect(uploaded.stderr.contains("uploaded 100%"))
            #expect(uploaded.stderr.contains("batch 1/1"))
            #expect(!uploaded.stderr.contains("\r"), "no bar redraws when standard error is not a terminal")

            let watched = try await runCLI(["watch", id, "--until", "validated", "--interval", "0.1"], port: server.port)
            #expect(watched.exitCode == 0)
            let status = try await runCLI(["status", id], port: server.port)
            #expect(status.stdout.hasPrefix("VALIDATED\ndetail: "))
        }
    }

    @Test("validate --link validates a dataset the server reads from its link root")
    func validateLink() async throws {
        let scratch = try ScratchDirectory()
        let dataset = try textDataset(in: scratch)
        try await withTextServer(configure: { $0.links.fileLinkRoot = scratch.url }) { server in
            let id = try await runCLI(["create", "--method", "service.ExampleService/stt", "--name", "linked"], port: server.port)
                .stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            let link = "file://" + dataset.path(percentEncoded: false)
            let validating = try await runCLI(["validate", id, "--link", link, "--json"], port: server.port)
            #expect(validating.exitCode == 0, "\(validating.stderr)")
            #expect(try validating.json()["status"] as? String == "VALIDATING")
            let watched = try await runCLI(["watch", id, "--until", "VALIDATED", "--interval", "0.1"], port: server.port)
            #expect(watched.exitCode == 0, "\(watched.stdout) \(watched.stderr)")
        }
    }

    @Test("daemon-config prints the snetd keys for the endpoint")
    func daemonConfig() async throws {
        let text = try await runCLI(["daemon-config", "--endpoint", "https://svc.example.org:7000"], port: nil)
        #expect(text.exitCode == 0)
        #expect(text.stdout.contains("\"model_maintenance_endpoint\": \"https://svc.example.org:7000\","))
        #expect(text.stdout.contains("\"model_training_enabled\": true"))
        let json = try await runCLI(["daemon-config", "--json", "--service-endpoint", "http://10.0.0.1:5000"], port: 5002)
        let object = try json.json()
        #expect(object["service_endpoint"] as? String == "http://10.0.0.1:5000")
        #expect(object["model_maintenance_endpoint"] as? String == "http://127.0.0.1:5002")
        #expect(object["model_training_enabled"] as? Bool == true)
    }
}
