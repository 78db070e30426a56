import Crypto
import ExampleServiceProto
import Foundation
import SwiftProtobuf
import SNETTraining
import Testing

@Suite("Committed protos and generated artefacts")
struct ProtoFileTests {
    static let root = URL(filePath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test("Protos/training.proto is the daemon's file, byte for byte")
    func trainingProtoUnchanged() throws {
        let data = try Data(contentsOf: Self.root.appending(path: "Protos/training.proto"))
        let digest = SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
        #expect(digest == "b9287bdd32d5a34bdb1302c08e8f69222cc76d4bf71a40bd48e5478def12ef25")
    }

    @Test("the embedded descriptor set is Protos/service.protoset and declares stt trainable")
    func descriptorSet() throws {
        let embedded = try #require(Data(base64Encoded: exampleServiceDescriptorSetBase64))
        #expect(embedded == (try Data(contentsOf: Self.root.appending(path: "Protos/service.protoset"))))
        let catalog = try TrainableMethodCatalog(descriptorSet: embedded)
        #expect(catalog.methods.keys.map(\.description) == ["service.ExampleService/stt"])
        let options = try #require(catalog.methods[MethodName(service: "service.ExampleService", method: "stt")]?.options)
        #expect(options.defaultModelID == "default")
        #expect(options.datasetTypes == ["zip"], "the SDK sends only zips")
        #expect(options.datasetFilesTypes == ["wav"])
        #expect(options.maxModelsPerUser == 5)
        #expect(options.datasetMaxSizeMB == 200)
    }
}
