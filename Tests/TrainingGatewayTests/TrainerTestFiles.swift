import Foundation
import SNETTraining

/// A fresh directory for one trainer test, with a one-file dataset, and the method it trains.
struct TrainerTestFiles {
    let root: URL
    let dataset: URL
    let method = TrainableMethod(
        name: MethodName(service: "test.Service", method: "learn"),
        options: TrainingOptions(defaultModelID: "default", datasetFilesTypes: ["txt"])
    )

    init(prefix: String) throws {
        root = FileManager.default.temporaryDirectory.appending(path: "\(prefix)-\(UUID().uuidString)")
        dataset = root.appending(path: "dataset")
        try FileManager.default.createDirectory(at: dataset, withIntermediateDirectories: true)
        try Data("hello".utf8).write(to: dataset.appending(path: "a.txt"))
    }
}
