import ExampleServiceProto
import Foundation
import Testing
import TrainingCore
import TrainingEngine
import TrainingGRPC

@Suite("Trainable methods read from a descriptor set")
struct CatalogTests {
    let catalog: TrainableMethodCatalog

    init() throws {
        let descriptorSet = try #require(Data(base64Encoded: exampleServiceDescriptorSetBase64))
        catalog = try TrainableMethodCatalog(descriptorSet: descriptorSet)
    }

    @Test("only methods whose input has a training.ModelID field are trainable, with their options")
    func trainableMethods() throws {
        #expect(catalog.methods.keys.map(\.description) == ["service.ExampleService/stt"])
        let stt = try #require(catalog.method(service: "service.ExampleService", method: "stt"))
        #expect(stt.options.defaultModelID == "default" && stt.options.datasetFilesTypes == ["wav"])
        #expect(catalog.method(service: "service.ExampleService", method: "basic_stt") == nil)
    }

    @Test("a short service name is accepted when unambiguous; the default model id is recognised")
    func lookups() {
        #expect(catalog.method(service: "ExampleService", method: "stt")?.name.service == "service.ExampleService")
        #expect(catalog.method(service: "Other", method: "stt") == nil)
        #expect(catalog.methodWithDefaultModel("default")?.name.method == "stt")
        #expect(catalog.methodWithDefaultModel("mine") == nil)
        #expect(catalog.trainableList == "service.ExampleService/stt")
    }

    @Test("bytes that are not a descriptor set are refused")
    func garbage() {
        #expect(throws: TrainingError.self) { try TrainableMethodCatalog(descriptorSet: Data([0xFF, 0xFF, 0xFF])) }
    }
}
